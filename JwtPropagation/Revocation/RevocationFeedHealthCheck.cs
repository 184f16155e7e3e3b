using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace JwtPropagation;

/// <summary>
/// Ready only once the issuer's revocation feed has been read: a new instance that took traffic
/// before would accept tokens the others already refuse. Once read, the list is kept in force
/// while the issuer is unreachable (<see cref="RevocationFeedPoller"/>), so the service stays ready.
/// </summary>
internal sealed class RevocationFeedHealthCheck(RevocationList revocations, IOptions<JwtValidationOptions> options) : IHealthCheck
{
    public const string Name = "revocation-feed";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(options.Value.RevocationFeed is null || revocations.LastUpdated is not null
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Waiting for the first read of the issuer's revocation feed."));
}
