using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tests.Dashboard;

/// <summary>
/// Where the running app's dashboard listens, and what a test needs to get in: a login URL for a
/// browser and the key of its telemetry API. Both are secrets, so this type does not print them.
/// </summary>
internal sealed class DashboardAccess
{
    private const string DashboardResource = "aspire-dashboard";
    private const string ApiKeyVariable = "DASHBOARD__API__PRIMARYAPIKEY";

    private DashboardAccess(Uri loginUrl, string apiKey)
    {
        LoginUrl = loginUrl;
        ApiKey = apiKey;
        BaseAddress = new Uri(loginUrl.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>The dashboard's origin, e.g. <c>http://localhost:39357</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary><c>/login?t=...</c>: opening it signs a browser in with the dashboard's browser token.</summary>
    public Uri LoginUrl { get; }

    /// <summary>Sent as <c>x-api-key</c> to <c>/api/telemetry/*</c>.</summary>
    public string ApiKey { get; }

    public static async Task<DashboardAccess> ForAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var loginUrl = await app.GetDashboardUrlAsync(cancellationToken);
        var dashboard = app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Single(resource => resource.Name == DashboardResource);

        // The AppHost generates the API key and hands it to the dashboard only in its environment.
        // (GetEnvironmentVariableValuesAsync is obsolete in Aspire 13.6; this is its replacement.)
        var configuration = await ExecutionConfigurationBuilder.Create(dashboard)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, cancellationToken);
        var apiKey = configuration.EnvironmentVariables.Single(variable => variable.Key == ApiKeyVariable).Value;

        return new DashboardAccess(loginUrl, apiKey);
    }

    /// <summary>The dashboard's page for one trace: its spans as a waterfall, by resource.</summary>
    public Uri TraceDetailUrl(string traceId) => new(BaseAddress, $"/traces/detail/{traceId}");
}
