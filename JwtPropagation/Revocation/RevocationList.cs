using System.Collections.Frozen;

namespace JwtPropagation;

/// <summary>
/// What the issuer has revoked, as last read from its revocation feed: single tokens by <c>jti</c>,
/// and whole subjects (every token issued to them up to the moment of revocation). Replaced as a
/// whole on every read, so a request always sees one consistent list.
/// </summary>
internal sealed class RevocationList
{
    private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Snapshot _current = Snapshot.Empty;

    /// <summary>When the feed was last read successfully; null before the first read.</summary>
    public DateTimeOffset? LastUpdated => _current.ReadAt;

    /// <summary>Completes when the feed has been read for the first time.</summary>
    public Task FirstRead => _firstRead.Task;

    /// <param name="tokenId">The token's <c>jti</c>.</param>
    /// <param name="revokedSubjectName">The token's subject as the feed names users: a keyed hash (<see cref="RevokedSubjectHash"/>), never the id.</param>
    /// <param name="issuedAt">When the token was issued: a user's tokens issued before their revocation are refused.</param>
    public bool IsRevoked(string? tokenId, string? revokedSubjectName, DateTimeOffset issuedAt)
    {
        var snapshot = _current;
        if (tokenId is not null && snapshot.TokenIds.Contains(tokenId))
        {
            return true;
        }

        return revokedSubjectName is not null
            && snapshot.Subjects.TryGetValue(revokedSubjectName, out var revokedAt)
            && issuedAt <= revokedAt;
    }

    public void Replace(IEnumerable<string> tokenIds, IEnumerable<KeyValuePair<string, DateTimeOffset>> subjects, DateTimeOffset readAt)
    {
        _current = new Snapshot(
            tokenIds.ToFrozenSet(StringComparer.Ordinal),
            subjects.ToFrozenDictionary(StringComparer.Ordinal),
            readAt);
        _firstRead.TrySetResult();
    }

    /// <summary>The feed was read again and is unchanged: the list held is current as of <paramref name="readAt"/>.</summary>
    public void Confirm(DateTimeOffset readAt) => _current = _current with { ReadAt = readAt };

    private sealed record Snapshot(
        FrozenSet<string> TokenIds, FrozenDictionary<string, DateTimeOffset> Subjects, DateTimeOffset? ReadAt)
    {
        public static readonly Snapshot Empty = new(FrozenSet<string>.Empty, FrozenDictionary<string, DateTimeOffset>.Empty, null);
    }
}
