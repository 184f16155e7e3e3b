using Benchmarks.Load.Processes;

namespace Benchmarks.Load.Services;

/// <summary>
/// The baseline pair (Baseline/): this assembly run as <c>serve-baseline profile|user</c>; and the
/// same pair as the framework floor, with the unverified bearer scheme on (Baseline/UnverifiedBearer.cs).
/// </summary>
internal static class BaselineServices
{
    public static Task<ServicePair> StartPairAsync(HttpClient http, CancellationToken cancellationToken) =>
        StartPairAsync("baseline", ServiceEnvironment.Measured(), http, cancellationToken);

    public static Task<ServicePair> StartFloorPairAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var environment = ServiceEnvironment.Measured();
        environment["Baseline__UnverifiedBearer"] = "true";
        return StartPairAsync("floor", environment, http, cancellationToken);
    }

    private static Task<ServicePair> StartPairAsync(
        string name, Dictionary<string, string> environment, HttpClient http, CancellationToken cancellationToken) =>
        ServicePair.StartAsync(
            () => Start($"{name}-profile", "profile", environment),
            profile => Start($"{name}-user", "user", WithProfileService(environment, profile)),
            http,
            cancellationToken);

    private static ServiceProcess Start(string name, string service, Dictionary<string, string> environment) =>
        ServiceProcess.Start(name, ServiceBinaries.Benchmarks, FreePort.Next(), environment, "serve-baseline", service);

    private static Dictionary<string, string> WithProfileService(Dictionary<string, string> pairEnvironment, ServiceProcess profile)
    {
        var environment = new Dictionary<string, string>(pairEnvironment);
        environment["services__profileservice__http__0"] = profile.Address.GetLeftPart(UriPartial.Authority);
        return environment;
    }
}
