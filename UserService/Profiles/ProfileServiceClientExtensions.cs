using Refit;

namespace UserService.Profiles;

public static class ProfileServiceClientExtensions
{
    /// <summary>
    /// The typed client for ProfileService, found through service discovery, sending the
    /// caller's token with every call. Its failures become problem details
    /// (<see cref="ProfileServiceExceptionHandler"/>).
    /// </summary>
    public static IHostApplicationBuilder AddProfileServiceClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRefitGeneratedClient<IProfileServiceClient>(ProfileServiceJsonContext.Default)
            .ConfigureHttpClient(client => client.BaseAddress = new Uri("https+http://profileservice"))
            .AddTokenForwarding();

        builder.Services.AddExceptionHandler<ProfileServiceExceptionHandler>();

        return builder;
    }
}
