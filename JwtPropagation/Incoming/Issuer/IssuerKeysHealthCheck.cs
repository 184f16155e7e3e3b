using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JwtPropagation.Incoming;

/// <summary>
/// Ready only once the issuer's metadata and signing keys are held: a new instance fetches them
/// when it is first probed, before it gets traffic, instead of making its first callers wait for
/// them, and it is not sent requests it could not validate. Once held, they are kept: an issuer
/// that is down later does not make this service unready.
/// </summary>
internal sealed class IssuerKeysHealthCheck(IssuerConfigurationManager issuer) : IHealthCheck
{
    public const string Name = "issuer-keys";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Held keys are never dropped for an empty key set: there are some, or this throws.
            await issuer.GetConfigurationAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (InvalidOperationException exception)
        {
            return HealthCheckResult.Unhealthy("Waiting for the issuer's signing keys: its metadata could not be read, or listed none.", exception);
        }
    }
}
