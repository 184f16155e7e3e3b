using System.Collections.Frozen;

namespace JwtPropagation.Incoming;

/// <summary>
/// What the issuer has revoked, as read from its revocation feed: single tokens by <c>jti</c>,
/// whole subjects (every token issued to them up to the moment of revocation), and signing keys
/// retired at once (every token they signed), each kept until the tokens it covers have expired,
/// clock skew included. A read changes it as a whole, so a request
/// always sees one consistent list.
/// </summary>
internal sealed class RevocationList
{
    private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Snapshot _current = Snapshot.Empty;

    /// <summary>When the feed was last read successfully; null before the first read.</summary>
    public DateTimeOffset? LastUpdated => _current.ReadAt;

    /// <summary>The feed's version held, to ask for the lines after it; null before the first read.</summary>
    public long? Version => _current.ReadAt is null ? null : _current.Version;

    /// <summary>The name of the key the feed last read names its users with; null before the first read, or when the issuer does not say.</summary>
    public string? FeedKeyId => _current.KeyId;

    /// <summary>Completes when the feed has been read for the first time.</summary>
    public Task FirstRead => _firstRead.Task;

    /// <param name="tokenId">The token's <c>jti</c>.</param>
    /// <param name="revokedSubjectName">The token's subject as the feed names users: a keyed hash (<see cref="RevokedSubjectHash"/>), never the id.</param>
    /// <param name="issuedAt">When the token was issued: a user's tokens issued before their revocation are refused.</param>
    public bool IsRevoked(string? tokenId, string? revokedSubjectName, DateTimeOffset issuedAt)
    {
        var snapshot = _current;
        if (tokenId is not null && snapshot.Tokens.ContainsKey(tokenId))
        {
            return true;
        }

        return revokedSubjectName is not null
            && snapshot.Subjects.TryGetValue(revokedSubjectName, out var subject)
            && issuedAt <= subject.RevokedAt;
    }

    /// <summary>Whether the issuer retired the signing key <paramref name="keyId"/> (its <c>kid</c>) at once.</summary>
    public bool IsKeyRetired(string? keyId) => keyId is not null && _current.RetiredKeys.ContainsKey(keyId);

    /// <summary>Whether the list was last read longer than <paramref name="maxAge"/> before <paramref name="now"/> (or never).</summary>
    public bool IsOlderThan(TimeSpan maxAge, DateTimeOffset now) => _current.ReadAt is not { } readAt || now - readAt > maxAge;

    /// <summary>
    /// Takes in a read of the feed: its lines in place of those held (<see cref="RevocationFeedDocument.Complete"/>)
    /// or added to them, a newer line of a subject in place of the older. Lines whose tokens have all
    /// expired more than <paramref name="keepPastExpiry"/> ago (the clock skew tokens are accepted within) go.
    /// </summary>
    public void Apply(RevocationFeedDocument read, DateTimeOffset readAt, TimeSpan keepPastExpiry)
    {
        var current = _current;
        if (!read.Complete && read.IsEmpty)
        {
            _current = current with { Version = read.Version, ReadAt = readAt, KeyId = read.KeyId };
            _firstRead.TrySetResult();
            return;
        }

        var keptAfter = readAt - keepPastExpiry;
        var tokens = read.Complete
            ? new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)
            : current.Tokens.Where(token => token.Value >= keptAfter).ToDictionary(StringComparer.Ordinal);
        var subjects = read.Complete
            ? new Dictionary<string, RevokedSubject>(StringComparer.Ordinal)
            : current.Subjects.Where(subject => subject.Value.ExpiresAt >= keptAfter).ToDictionary(StringComparer.Ordinal);
        var retiredKeys = read.Complete
            ? new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)
            : current.RetiredKeys.Where(key => key.Value >= keptAfter).ToDictionary(StringComparer.Ordinal);

        foreach (var token in read.RevokedTokens)
        {
            tokens[token.Jti] = token.ExpiresAt;
        }

        foreach (var subject in read.RevokedSubjects)
        {
            subjects[subject.Name] = subject;
        }

        foreach (var key in read.RetiredSigningKeys ?? [])
        {
            retiredKeys[key.Kid] = key.ExpiresAt;
        }

        _current = new Snapshot(tokens.ToFrozenDictionary(StringComparer.Ordinal), subjects.ToFrozenDictionary(StringComparer.Ordinal), read.Version, readAt, read.KeyId)
        {
            RetiredKeys = retiredKeys.ToFrozenDictionary(StringComparer.Ordinal),
        };
        _firstRead.TrySetResult();
    }

    /// <summary>Revoked tokens by <c>jti</c> (with when each expires), revoked subjects by keyed hash, and the feed read they come from.</summary>
    private sealed record Snapshot(
        FrozenDictionary<string, DateTimeOffset> Tokens, FrozenDictionary<string, RevokedSubject> Subjects, long Version, DateTimeOffset? ReadAt, string? KeyId)
    {
        /// <summary>Signing keys retired at once, by <c>kid</c>, with when their last token expires.</summary>
        public FrozenDictionary<string, DateTimeOffset> RetiredKeys { get; init; } = FrozenDictionary<string, DateTimeOffset>.Empty;

        public static readonly Snapshot Empty = new(
            FrozenDictionary<string, DateTimeOffset>.Empty, FrozenDictionary<string, RevokedSubject>.Empty, Version: 0, ReadAt: null, KeyId: null);
    }
}
