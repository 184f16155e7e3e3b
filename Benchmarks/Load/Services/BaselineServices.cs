using Benchmarks.Load.Processes;

namespace Benchmarks.Load.Services;

/// <summary>The baseline pair (Baseline/): this assembly run as <c>serve-baseline profile|user</c>.</summary>
internal static class BaselineServices
{
    public static Task<ServicePair> StartPairAsync(HttpClient http, CancellationToken cancellationToken) =>
        ServicePair.StartAsync(
            () => Start("baseline-profile", "profile", ServiceEnvironment.Measured()),
            profile => Start("baseline-user", "user", WithProfileService(profile)),
            http,
            cancellationToken);

    private static ServiceProcess Start(string name, string service, Dictionary<string, string> environment) =>
        ServiceProcess.Start(name, ServiceBinaries.Benchmarks, FreePort.Next(), environment, "serve-baseline", service);

    private static Dictionary<string, string> WithProfileService(ServiceProcess profile)
    {
        var environment = ServiceEnvironment.Measured();
        environment["services__profileservice__http__0"] = profile.Address.GetLeftPart(UriPartial.Authority);
        return environment;
    }
}
