using IdentityService.Data;
using IdentityService.Settings;
using JwtPropagation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Revocation;

/// <summary>
/// The revocation feed's lines (<see cref="RevocationFeedEntry"/>), kept up with the store: every
/// revoked access token that has not expired, whoever revoked it (a client, an admin, OpenIddict
/// on a reused refresh token), every revoked subject, and every signing key an admin retired
/// while a token it signed may live. A subject with more revoked tokens than
/// <see cref="IdentityServerOptions.RevocationFeedTokensPerSubject"/> gets one line for them all in
/// place of theirs, so the feed holds at most that many lines and one per user, however often they revoke.
/// </summary>
internal sealed class RevocationFeedLog(IdentityServiceDbContext db, IOptions<IdentityServerOptions> settings, TimeProvider timeProvider)
{
    /// <summary>
    /// How long past <see cref="RevocationFeedEntry.ListedUntil"/> a line is still sent: a service
    /// accepts a token until its <c>exp</c> plus its clock skew (at most 30 s).
    /// </summary>
    public static readonly TimeSpan ListedPastExpiry = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Writes the lines the store's revocations call for and the feed lacks yet. Looked for first
    /// without a lock, which finds nothing nearly always; then again and written under the feed's
    /// lock, so that lines are committed in the order of their versions whichever instance writes.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        if ((await FindChangesAsync(cancellationToken)).IsEmpty)
        {
            return;
        }

        db.ChangeTracker.Clear();
        await using var transaction = await db.BeginExclusiveTransactionAsync(StoreLock.RevocationFeed, cancellationToken);
        var changes = await FindChangesAsync(cancellationToken);
        db.RevocationFeedEntries.RemoveRange(changes.Removed);
        db.RevocationFeedEntries.AddRange(changes.Added);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>The lines to send now, in the order of their versions, their instants in UTC.</summary>
    public async Task<IReadOnlyList<RevocationFeedEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        var listedAfter = timeProvider.GetUtcNow().UtcDateTime - ListedPastExpiry;
        return await db.RevocationFeedEntries.AsNoTracking()
            .Where(entry => entry.ListedUntil > listedAfter)
            .OrderBy(entry => entry.Version)
            .Select(entry => new RevocationFeedEntry
            {
                Version = entry.Version,
                TokenId = entry.TokenId,
                SubjectSha256 = entry.SubjectSha256,
                KeyId = entry.KeyId,
                RevokedAt = entry.RevokedAt == null ? null : AsUtc(entry.RevokedAt.Value),
                ListedUntil = AsUtc(entry.ListedUntil),
            })
            .ToListAsync(cancellationToken);
    }

    private async Task<Changes> FindChangesAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;

        // Each a range scan on an index (ListedUntil; Status, Type and ExpirationDate).
        var listed = await db.RevocationFeedEntries.Where(entry => entry.ListedUntil > now).ToListAsync(cancellationToken);
        var subjects = await db.SubjectRevocations
            .Where(revocation => revocation.ListedUntil > now)
            .Select(revocation => new RevokedSubject(revocation.SubjectSha256, AsUtc(revocation.RevokedAt), AsUtc(revocation.ListedUntil)))
            .ToListAsync(cancellationToken);
        var tokens = await db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(token => token.Status == Statuses.Revoked && token.Type == TokenTypeIdentifiers.AccessToken && token.ExpirationDate > now)
            .Select(token => new RevokedToken(token.Id!, token.Subject, AsUtc(token.CreationDate ?? DateTime.MinValue), AsUtc(token.ExpirationDate!.Value)))
            .ToListAsync(cancellationToken);

        // A handful of rows: the keys' table.
        var retiredAfter = now - settings.Value.AccessTokenLifetime;
        var retiredKeys = await db.SigningKeys
            .Where(key => key.RetiredAt > retiredAfter)
            .Select(key => new RetiredKey(key.Id, AsUtc(key.RetiredAt!.Value) + settings.Value.AccessTokenLifetime))
            .ToListAsync(cancellationToken);

        var changes = Compare(listed, subjects, tokens, settings.Value.RevocationFeedTokensPerSubject);
        changes.Added.AddRange(KeyLinesToAdd(listed, retiredKeys));
        return changes;
    }

    /// <summary>A line for each retired key the feed does not list yet, until its last token would have expired.</summary>
    internal static IEnumerable<RevocationFeedEntry> KeyLinesToAdd(IReadOnlyList<RevocationFeedEntry> listed, IReadOnlyList<RetiredKey> retiredKeys) =>
        retiredKeys
            .Where(key => !listed.Any(entry => entry.KeyId == key.Id))
            .Select(key => new RevocationFeedEntry { KeyId = key.Id, ListedUntil = key.ListedUntil });

    /// <summary>
    /// What the feed must gain to list the store's revocations, and which of its lines go: a
    /// subject's line that a newer one takes the place of, and token lines a subject's line covers.
    /// A service that holds a line gone keeps it until its tokens expire, which is harmless.
    /// </summary>
    internal static Changes Compare(
        IReadOnlyList<RevocationFeedEntry> listed, IReadOnlyList<RevokedSubject> subjects, IReadOnlyList<RevokedToken> tokens, int tokensPerSubject)
    {
        var listedTokens = listed.Where(entry => entry.TokenId is not null).ToDictionary(entry => entry.TokenId!, StringComparer.Ordinal);
        var listedSubjects = listed.Where(entry => entry.SubjectSha256 is not null).ToDictionary(entry => entry.SubjectSha256!, StringComparer.Ordinal);
        var revokedSubjects = subjects.ToDictionary(subject => subject.Sha256, StringComparer.Ordinal);
        var tokensBySubject = tokens.Where(token => token.Subject is not null).ToLookup(token => RevokedSubjectHash.Sha256Of(token.Subject!), StringComparer.Ordinal);

        var changes = new Changes([], []);
        foreach (var subject in tokensBySubject.Select(group => group.Key).Union(revokedSubjects.Keys, StringComparer.Ordinal))
        {
            var line = listedSubjects.GetValueOrDefault(subject);
            var revoked = revokedSubjects.GetValueOrDefault(subject);
            var coveredUntil = Latest(line?.RevokedAt, revoked?.RevokedAt);
            var listedUntil = Latest(line?.ListedUntil, revoked?.ListedUntil);
            var uncovered = tokensBySubject[subject].Where(token => coveredUntil is not { } covered || token.IssuedAt > covered).ToList();

            if (uncovered.Count > tokensPerSubject)
            {
                coveredUntil = uncovered.Max(token => token.IssuedAt);
                listedUntil = Latest(listedUntil, uncovered.Max(token => token.ExpiresAt));
                uncovered.Clear();
            }

            if (coveredUntil is not { } until)
            {
                AddTokenLines(uncovered);
                continue;
            }

            if (line?.RevokedAt != until || line.ListedUntil != listedUntil)
            {
                if (line is not null)
                {
                    changes.Removed.Add(line);
                }

                changes.Added.Add(new RevocationFeedEntry { SubjectSha256 = subject, RevokedAt = until, ListedUntil = listedUntil!.Value });
            }

            changes.Removed.AddRange(tokensBySubject[subject]
                .Where(token => token.IssuedAt <= until && listedTokens.ContainsKey(token.Id))
                .Select(token => listedTokens[token.Id]));
            AddTokenLines(uncovered);
        }

        AddTokenLines(tokens.Where(token => token.Subject is null));
        return changes;

        void AddTokenLines(IEnumerable<RevokedToken> revokedTokens)
        {
            foreach (var token in revokedTokens.Where(token => !listedTokens.ContainsKey(token.Id)))
            {
                changes.Added.Add(new RevocationFeedEntry { TokenId = token.Id, ListedUntil = token.ExpiresAt });
            }
        }
    }

    private static DateTime? Latest(DateTime? first, DateTime? second) => first > second || second is null ? first : second;

    // SQLite hands dates back unspecified; they are stored as UTC.
    private static DateTime AsUtc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <param name="Sha256">The subject's SHA-256, lower-case hex.</param>
    internal sealed record RevokedSubject(string Sha256, DateTime RevokedAt, DateTime ListedUntil);

    /// <param name="Id">The token's entry id, which is its <c>jti</c> (<see cref="UseTokenEntryIdAsJti"/>).</param>
    internal sealed record RevokedToken(string Id, string? Subject, DateTime IssuedAt, DateTime ExpiresAt);

    /// <param name="Id">The retired signing key's <c>kid</c>.</param>
    /// <param name="ListedUntil">When every access token it signed has expired.</param>
    internal sealed record RetiredKey(string Id, DateTime ListedUntil);

    internal sealed record Changes(List<RevocationFeedEntry> Removed, List<RevocationFeedEntry> Added)
    {
        public bool IsEmpty => Removed.Count == 0 && Added.Count == 0;
    }
}
