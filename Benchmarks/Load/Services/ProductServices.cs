using System.Security.Cryptography;
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
    // The key UserService seals its job store's Data Protection keys with, as the AppHost gives it:
    // one a run, for every instance of the run (they share the store). The harness queues no exports.
    private static readonly string JobsKeyEncryptionKey =
        RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 44);

    public static Task<ServicePair> StartPairAsync(
        IdentityServer identity, TokenPropagationMode mode, HttpClient http, CancellationToken cancellationToken) =>
        StartPairAsync(identity, mode, overGrpc: false, ServiceBuild.This, http, cancellationToken);

    /// <summary>A pair run from another build of the services (<c>load --warm-only</c>'s A/B against an earlier commit).</summary>
    public static Task<ServicePair> StartPairAsync(
        IdentityServer identity, TokenPropagationMode mode, ServiceBuild build, HttpClient http, CancellationToken cancellationToken) =>
        StartPairAsync(identity, mode, overGrpc: false, build, http, cancellationToken);

    /// <summary>An Exchange-mode pair whose UserService calls ProfileService over gRPC (<c>ProfileService:Transport</c> = <c>Grpc</c>).</summary>
    public static Task<ServicePair> StartGrpcPairAsync(IdentityServer identity, HttpClient http, CancellationToken cancellationToken) =>
        StartPairAsync(identity, TokenPropagationMode.Exchange, overGrpc: true, ServiceBuild.This, http, cancellationToken);

    /// <summary>A UserService calling <paramref name="profile"/> over HTTP: one of a pair, or one more instance of it.</summary>
    public static ServiceProcess StartUserService(string name, IdentityServer identity, ServiceProcess profile, TokenPropagationMode mode) =>
        ServiceProcess.Start(name, ServiceBinaries.UserService, FreePort.Next(), UserServiceEnvironment(identity, profile, mode, grpc: null));

    private static Task<ServicePair> StartPairAsync(
        IdentityServer identity, TokenPropagationMode mode, bool overGrpc, ServiceBuild build, HttpClient http, CancellationToken cancellationToken)
    {
        var suffix = overGrpc ? "-grpc" : build.NameSuffix;
        var grpc = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        return ServicePair.StartAsync(
            () => StartProfileService($"profileservice{suffix}", build.ProfileService, identity, grpc),
            profile => ServiceProcess.Start(
                $"userservice{suffix}", build.UserService, FreePort.Next(), UserServiceEnvironment(identity, profile, mode, overGrpc ? grpc : null)),
            http,
            cancellationToken);
    }

    /// <summary>
    /// ProfileService on a free port for its HTTP API and <paramref name="grpc"/> for its gRPC
    /// service: its Kestrel endpoints (appsettings.json) are set here, as the AppHost sets them,
    /// since they take the place of <c>--urls</c>.
    /// </summary>
    private static ServiceProcess StartProfileService(string name, string dll, IdentityServer identity, Uri grpc)
    {
        var port = FreePort.Next();
        var environment = ValidatingTokensOf(identity);
        environment["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{port}";
        environment["Kestrel__Endpoints__grpc__Url"] = grpc.GetLeftPart(UriPartial.Authority);
        return ServiceProcess.Start(name, dll, port, environment);
    }

    private static Dictionary<string, string> UserServiceEnvironment(
        IdentityServer identity, ServiceProcess profile, TokenPropagationMode mode, Uri? grpc)
    {
        var environment = ValidatingTokensOf(identity);
        environment["services__profileservice__http__0"] = profile.Address.GetLeftPart(UriPartial.Authority);
        if (grpc is not null)
        {
            environment["services__profileservice__grpc__0"] = grpc.GetLeftPart(UriPartial.Authority);
            environment["ProfileService__Transport"] = "Grpc";
        }
        environment["TokenExchange__ClientId"] = IdentityServer.ExchangeClientId;
        environment["TokenExchange__ClientSecret"] = identity.ExchangeClientSecret;
        environment["Exports__KeyEncryptionKey"] = JobsKeyEncryptionKey;

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
        environment["JwtValidation__Authority"] = "https+http://identity";
        environment["JwtValidation__RevocationFeed"] = "https+http://identity/revocations";
        environment["JwtValidation__RevocationFeedKey"] = identity.RevocationFeedKey;
        environment["JwtValidation__Issuer"] = identity.Issuer;
        environment["services__identity__http__0"] = identity.Process.Address.GetLeftPart(UriPartial.Authority);
        return environment;
    }
}
