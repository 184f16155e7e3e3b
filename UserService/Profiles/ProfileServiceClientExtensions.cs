using Refit;

namespace UserService.Profiles;

public static class ProfileServiceClientExtensions
{
    /// <summary>Where the client's settings live: destination and how the caller's token goes there.</summary>
    public const string SectionName = "ProfileService";

    /// <summary>
    /// The typed client for ProfileService, found through service discovery, carrying the caller's
    /// token with every call (exchanged for ProfileService's audience, unless configured to forward
    /// it as is). Its failures become problem details (<see cref="ProfileServiceExceptionHandler"/>).
    /// </summary>
    public static IHostApplicationBuilder AddProfileServiceClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRefitGeneratedClient<IProfileServiceClient>(ProfileServiceJsonContext.Default)
            .AddTokenPropagation(SectionName);

        builder.Services.AddExceptionHandler<ProfileServiceExceptionHandler>();

        return builder;
    }
}
