using IdentityService.Data;
using IdentityService.Settings;
using JwtPropagation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Revocation;

/// <summary>
/// What resource servers must refuse although its signature is valid: revoked access tokens (by
/// <c>jti</c>) until they expire, and revoked subjects (by keyed hash) until every token they cover has
/// expired. Read from the store on each request, so it holds every revocation, OpenIddict's own too.
/// </summary>
internal sealed class RevocationFeed(IdentityServiceDbContext db, IOptions<IdentityServerOptions> settings, TimeProvider timeProvider)
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
            .Select(revocation => new { revocation.SubjectSha256, revocation.RevokedAt })
            .ToListAsync(cancellationToken);
        var key = settings.Value.RevocationFeedKey;

        return new Document(
            tokens,
            [.. subjects.Select(subject => new RevokedSubject(RevokedSubjectHash.Of(subject.SubjectSha256, key), AsUtc(subject.RevokedAt)))]);
    }

    // SQLite hands dates back unspecified; they are stored as UTC, and written with a Z.
    private static DateTime AsUtc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>The JSON document (camelCase) served at /revocations.</summary>
    public sealed record Document(IReadOnlyList<RevokedToken> RevokedTokens, IReadOnlyList<RevokedSubject> RevokedSubjects);

    public sealed record RevokedToken(string Jti, DateTime ExpiresAt);

    /// <param name="Name">The user's keyed hash (<see cref="RevokedSubjectHash"/>): only the services can match it.</param>
    public sealed record RevokedSubject(string Name, DateTime RevokedAt);
}
