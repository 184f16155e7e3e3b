using IdentityService.Data;
using IdentityService.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace IdentityService.Revocation;

/// <summary>Revokes what depends on a token, a grant or a subject, in the OpenIddict store.</summary>
internal sealed class TokenRevoker(
    IdentityServiceDbContext db,
    IOpenIddictTokenManager tokenManager,
    IOpenIddictAuthorizationManager authorizationManager,
    SubjectRevocations subjectRevocations,
    UserManager<IdentityUser> users,
    SubjectSessions subjectSessions)
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
    /// tokens that were never stored, or are being issued right now, are refused as well; ends the
    /// user's sign-in sessions, and changes their security stamp so that a session being started
    /// right now is refused at its first use too. All or nothing.
    /// </summary>
    public async Task<SubjectRevocationCounts> RevokeSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        await subjectRevocations.RecordAsync(subject, cancellationToken);
        var tokens = await tokenManager.RevokeBySubjectAsync(subject, cancellationToken);
        var authorizations = await authorizationManager.RevokeBySubjectAsync(subject, cancellationToken);
        var sessions = await subjectSessions.EndAllAsync(subject, cancellationToken);

        // A client id (client credentials tokens) has no user, nor sessions.
        if (await users.FindByIdAsync(subject) is { } user && await users.UpdateSecurityStampAsync(user) is { Succeeded: false } failed)
        {
            throw new InvalidOperationException($"The security stamp of {subject} was not changed: {string.Join(", ", failed.Errors.Select(error => error.Code))}");
        }

        await transaction.CommitAsync(cancellationToken);
        return new SubjectRevocationCounts(tokens, authorizations, sessions);
    }
}

/// <summary>What revoking a subject revoked or ended.</summary>
internal sealed record SubjectRevocationCounts(long Tokens, long Authorizations, int Sessions);
