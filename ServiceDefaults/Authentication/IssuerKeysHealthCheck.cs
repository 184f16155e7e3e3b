using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Ready only once the issuer's metadata and signing keys are held: a new instance fetches them
/// when it is first probed, before it gets traffic, instead of making its first callers wait for
/// them, and it is not sent requests it could not validate. Once held, they are kept: an issuer
/// that is down later does not make this service unready.
/// </summary>
internal sealed class IssuerKeysHealthCheck(IOptionsMonitor<JwtBearerOptions> jwtBearerOptions) : IHealthCheck
{
    public const string Name = "issuer-keys";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (jwtBearerOptions.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is not { } configurationManager)
        {
            return HealthCheckResult.Healthy("The signing keys are configured, not fetched.");
        }

        try
        {
            var configuration = await configurationManager.GetConfigurationAsync(cancellationToken);
            return configuration.SigningKeys.Count > 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("Waiting for the issuer's signing keys: its key set is empty.");
        }
        catch (InvalidOperationException exception)
        {
            return HealthCheckResult.Unhealthy("Waiting for the issuer's signing keys: its metadata could not be read.", exception);
        }
    }
}
