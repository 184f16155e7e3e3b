namespace IdentityService.Passwords;

internal static class PasswordCheckExtensions
{
    /// <summary>The password check of the password grant and the sign-in page, with its per-name throttle.</summary>
    public static IServiceCollection AddPasswordCheck(this IServiceCollection services)
    {
        services.AddSingleton<GuessThrottle>();
        services.AddSingleton<UnknownAccountHash>();
        services.AddScoped<PasswordCheck>();
        return services;
    }
}
