using Benchmarks.Load.Processes;
using JwtPropagation;
using Microsoft.Extensions.Hosting;

namespace Benchmarks.Load.Services;

/// <summary>
/// The real ProfileService and UserService, with the environment the AppHost gives them
/// (AppHost/AppHost.cs, IdentityExtensions.cs) but plain loopback addresses for service discovery.
/// </summary>
internal static class ProductServices
{
    public static Task<ServicePair> StartPairAsync(
        IdentityServer identity, TokenPropagationMode mode, HttpClient http, CancellationToken cancellationToken) =>
        ServicePair.StartAsync(
            () => ServiceProcess.Start("profileservice", ServiceBinaries.ProfileService, FreePort.Next(), ValidatingTokensOf(identity)),
            profile => StartUserService("userservice", identity, profile, mode),
            http,
            cancellationToken);

    /// <summary>A UserService calling <paramref name="profile"/>: one of a pair, or one more instance of it.</summary>
    public static ServiceProcess StartUserService(string name, IdentityServer identity, ServiceProcess profile, TokenPropagationMode mode) =>
        ServiceProcess.Start(name, ServiceBinaries.UserService, FreePort.Next(), UserServiceEnvironment(identity, profile, mode));

    private static Dictionary<string, string> UserServiceEnvironment(IdentityServer identity, ServiceProcess profile, TokenPropagationMode mode)
    {
        var environment = ValidatingTokensOf(identity);
        environment["services__profileservice__http__0"] = profile.Address.GetLeftPart(UriPartial.Authority);
        environment["TokenExchange__ClientId"] = IdentityServer.ExchangeClientId;
        environment["TokenExchange__ClientSecret"] = identity.ExchangeClientSecret;

        // Exchange is UserService's own default (its appsettings.json): only Forward is set here.
        if (mode == TokenPropagationMode.Forward)
        {
            environment["ProfileService__Mode"] = nameof(TokenPropagationMode.Forward);
        }

        return environment;
    }

    private static Dictionary<string, string> ValidatingTokensOf(IdentityServer identity)
    {
        var environment = ServiceEnvironment.Measured();
        environment["Authentication__Authority"] = "https+http://identity";
        environment["Authentication__RevocationFeed"] = "https+http://identity/revocations";
        environment["Authentication__RevocationFeedKey"] = identity.RevocationFeedKey;
        environment["Authentication__Issuer"] = identity.Issuer;
        environment["services__identity__http__0"] = identity.Process.Address.GetLeftPart(UriPartial.Authority);
        return environment;
    }
}
