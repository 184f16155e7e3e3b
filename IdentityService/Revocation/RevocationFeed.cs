using IdentityService.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Revocation;

/// <summary>
/// What resource servers must refuse although its signature is valid: revoked access tokens (by
/// <c>jti</c>) until they expire, and revoked subjects (by hash) until every token they cover has
/// expired. Read from the store on each request, so it holds every revocation, OpenIddict's own too.
/// </summary>
internal sealed class RevocationFeed(IdentityServiceDbContext db, TimeProvider timeProvider)
{
    public async Task<Document> ReadAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;

        // Both range scans on an index (Status, Type, ExpirationDate and ListedUntil).
        var tokens = await db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(token => token.Status == Statuses.Revoked && token.Type == TokenTypeIdentifiers.AccessToken && token.ExpirationDate > now)
            .Select(token => new RevokedToken(token.Id!, AsUtc(token.ExpirationDate!.Value)))
            .ToListAsync(cancellationToken);

        var subjects = await db.SubjectRevocations
            .Where(revocation => revocation.ListedUntil > now)
            .Select(revocation => new RevokedSubject(revocation.SubjectSha256, AsUtc(revocation.RevokedAt)))
            .ToListAsync(cancellationToken);

        return new Document(tokens, subjects);
    }

    // SQLite hands dates back unspecified; they are stored as UTC, and written with a Z.
    private static DateTime AsUtc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>The JSON document (camelCase) served at /revocations.</summary>
    public sealed record Document(IReadOnlyList<RevokedToken> RevokedTokens, IReadOnlyList<RevokedSubject> RevokedSubjects);

    public sealed record RevokedToken(string Jti, DateTime ExpiresAt);

    public sealed record RevokedSubject(string SubjectSha256, DateTime RevokedAt);
}
