using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace JwtPropagation.Incoming;

/// <summary>
/// Ready only once the issuer's revocation feed has been read: a new instance that took traffic
/// before would accept tokens the others already refuse. Once read, the list is kept in force while
/// the issuer is unreachable (<see cref="RevocationFeedPoller"/>); past
/// <see cref="JwtValidationOptions.RevocationFeedMaxAge"/> the service says so: Degraded, still
/// serving, or not ready where it then refuses every token (<see cref="JwtValidationOptions.RevocationFeedFailClosed"/>).
/// Not ready either while the feed names its users with another key than this service's: every
/// revoked user would be let in, a mistake of configuration to be seen at once, not served through.
/// </summary>
internal sealed class RevocationFeedHealthCheck(RevocationList revocations, IOptions<JwtValidationOptions> options, TimeProvider timeProvider) : IHealthCheck
{
    public const string Name = "revocation-feed";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        if (settings.RevocationFeed is not null && revocations.FeedKeyId is { } feedKeyId
            && RevokedSubjectHash.KeyIdOf(settings.RevocationFeedKey!) is var keyId && feedKeyId != keyId)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"The revocation feed names its users with key {feedKeyId}, {JwtValidationOptions.SectionName}:{nameof(JwtValidationOptions.RevocationFeedKey)} here is key {keyId}: " +
                "no revoked user would be recognised. Give this service the issuer's feed key."));
        }

        if (settings.RevocationFeed is null || !revocations.IsOlderThan(settings.RevocationFeedMaxAge, now))
        {
            return Task.FromResult(HealthCheckResult.Healthy());
        }

        if (revocations.LastUpdated is not { } readAt)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Waiting for the first read of the issuer's revocation feed."));
        }

        var stale = $"The revocation feed was last read {(now - readAt).TotalSeconds:0} s ago (at most {settings.RevocationFeedMaxAge.TotalSeconds:0.#} s): revocations since are not known here;";
        return Task.FromResult(settings.RevocationFeedFailClosed
            ? HealthCheckResult.Unhealthy($"{stale} every token is refused until it is read.")
            : HealthCheckResult.Degraded($"{stale} tokens are judged on the list held."));
    }
}
