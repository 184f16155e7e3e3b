using IdentityService.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace IdentityService.Revocation;

/// <summary>Revokes what depends on a token, a grant or a subject, in the OpenIddict store.</summary>
internal sealed class TokenRevoker(
    IdentityServiceDbContext db,
    IOpenIddictTokenManager tokenManager,
    IOpenIddictAuthorizationManager authorizationManager,
    SubjectRevocations subjectRevocations)
{
    /// <summary>Revokes every token exchanged from the token, and from those, hop after hop.</summary>
    /// <returns>How many tokens were revoked.</returns>
    public async Task<int> RevokeExchangedFromAsync(string tokenId, CancellationToken cancellationToken)
    {
        var revoked = 0;
        List<string> subjectTokenIds = [tokenId];

        // Each round is one hop further; a token is always exchanged from an older one, so no cycle.
        while (subjectTokenIds.Count > 0)
        {
            var exchangedTokenIds = await db.TokenExchangeLinks
                .Where(link => subjectTokenIds.Contains(link.SubjectTokenId))
                .Select(link => link.ExchangedTokenId)
                .ToListAsync(cancellationToken);

            foreach (var exchangedTokenId in exchangedTokenIds)
            {
                if (await tokenManager.FindByIdAsync(exchangedTokenId, cancellationToken) is { } token
                    && await tokenManager.TryRevokeAsync(token, cancellationToken))
                {
                    revoked++;
                }
            }

            subjectTokenIds = exchangedTokenIds;
        }

        return revoked;
    }

    /// <summary>
    /// Revokes a grant: its authorization and every token issued under it, refresh and access
    /// tokens and the tokens exchanged from them (an exchanged token joins its subject token's grant).
    /// </summary>
    public async Task RevokeGrantAsync(string authorizationId, CancellationToken cancellationToken)
    {
        if (await authorizationManager.FindByIdAsync(authorizationId, cancellationToken) is { } authorization)
        {
            await authorizationManager.TryRevokeAsync(authorization, cancellationToken);
        }

        await tokenManager.RevokeByAuthorizationIdAsync(authorizationId, cancellationToken);
    }

    /// <summary>
    /// Revokes every stored token and authorization of the subject, and records the instant so that
    /// tokens that were never stored, or are being issued right now, are refused as well. All or nothing.
    /// </summary>
    public async Task<(long Tokens, long Authorizations)> RevokeSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        await subjectRevocations.RecordAsync(subject, cancellationToken);
        var tokens = await tokenManager.RevokeBySubjectAsync(subject, cancellationToken);
        var authorizations = await authorizationManager.RevokeBySubjectAsync(subject, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return (tokens, authorizations);
    }
}
