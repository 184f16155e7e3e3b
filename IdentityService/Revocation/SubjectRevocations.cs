using IdentityService.Data;
using IdentityService.Settings;
using JwtPropagation;
using Microsoft.Extensions.Options;

namespace IdentityService.Revocation;

/// <summary>The "subject S revoked at T" records: written by the admin operation, read by the grants.</summary>
internal sealed class SubjectRevocations(
    IdentityServiceDbContext db, IOptions<IdentityServerOptions> settings, TimeProvider timeProvider)
{
    /// <summary>Records that every token of <paramref name="subject"/> issued until now is revoked.</summary>
    public async Task RecordAsync(string subject, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();

        var revocation = await db.SubjectRevocations.FindAsync([subject], cancellationToken);
        if (revocation is null)
        {
            revocation = new SubjectRevocation { Subject = subject, SubjectSha256 = RevokedSubjectHash.Sha256Of(subject) };
            db.SubjectRevocations.Add(revocation);
        }

        revocation.RevokedAt = now.UtcDateTime;

        // No access token lives longer (an exchanged one never outlives its subject token).
        revocation.ListedUntil = (now + settings.Value.AccessTokenLifetime).UtcDateTime;

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Whether a token of <paramref name="subject"/> issued at <paramref name="issuedAt"/> is revoked with
    /// it. A token that does not say when it was issued may be older than the revocation: it is.
    /// </summary>
    public async Task<bool> IsRevokedAsync(string subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken) =>
        await db.SubjectRevocations.FindAsync([subject], cancellationToken) is { } revocation
        && (issuedAt is not { } time || time.UtcDateTime <= revocation.RevokedAt);
}
