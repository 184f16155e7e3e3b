using IdentityService.Data;
using IdentityService.Revocation;
using IdentityService.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;

namespace IdentityService.Pruning;

/// <summary>
/// Removes from the store what can no longer be used: tokens and authorizations that expired, were
/// revoked, redeemed or left without tokens (OpenIddict's own pruning; the exchange links of a
/// token go with it), subject revocations that no token they cover can outlive, and the revocation
/// feed's lines once every token they cover has expired (and its clock skew passed), and sign-in
/// sessions past their expiry (refused already, removed here). Only what is
/// older than the longest token lifetime goes, so a revoked token that has not expired is still
/// listed in the revocation feed, and a reused refresh token is still recognized as reused.
/// </summary>
internal sealed class StorePruner(
    IdentityServiceDbContext db,
    IOpenIddictTokenManager tokenManager,
    IOpenIddictAuthorizationManager authorizationManager,
    IOptionsMonitor<OpenIddictServerOptions> serverOptions,
    TimeProvider timeProvider)
{
    public async Task<PrunedRows> PruneAsync(CancellationToken cancellationToken)
    {
        var threshold = timeProvider.GetUtcNow() - TokenLifetimes.Longest(serverOptions.CurrentValue);

        var tokens = await tokenManager.PruneAsync(threshold, cancellationToken);
        var authorizations = await authorizationManager.PruneAsync(threshold, cancellationToken);
        var subjectRevocations = await db.SubjectRevocations
            .Where(revocation => revocation.RevokedAt < threshold.UtcDateTime)
            .ExecuteDeleteAsync(cancellationToken);

        var feedUnlistedBefore = (timeProvider.GetUtcNow() - RevocationFeedLog.ListedPastExpiry).UtcDateTime;
        var revocationFeedLines = await db.RevocationFeedEntries
            .Where(entry => entry.ListedUntil < feedUnlistedBefore)
            .ExecuteDeleteAsync(cancellationToken);

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var signInSessions = await db.SignInSessions
            .Where(session => session.ExpiresAt <= now)
            .ExecuteDeleteAsync(cancellationToken);

        return new PrunedRows(tokens, authorizations, subjectRevocations, revocationFeedLines, signInSessions);
    }
}

/// <summary>What one pruning removed (JSON: tokens, authorizations, subjectRevocations, revocationFeedLines, signInSessions).</summary>
internal sealed record PrunedRows(long Tokens, long Authorizations, int SubjectRevocations, int RevocationFeedLines, int SignInSessions);
