using System.Collections.Frozen;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What the issuer has revoked, as last read from its revocation feed: single tokens by <c>jti</c>,
/// and whole subjects (every token issued to them up to the moment of revocation). Replaced as a
/// whole on every read, so a request always sees one consistent list.
/// </summary>
internal sealed class RevocationList
{
    private volatile Snapshot _current = Snapshot.Empty;

    /// <summary>When the feed was last read successfully; null before the first read.</summary>
    public DateTimeOffset? LastUpdated => _current.ReadAt;

    /// <param name="subjectSha256">The SHA-256 of the token's subject (lower-case hex): the feed names users by hash only, never by id.</param>
    public bool IsRevoked(string? tokenId, string? subjectSha256, DateTimeOffset issuedAt)
    {
        var snapshot = _current;
        if (tokenId is not null && snapshot.TokenIds.Contains(tokenId))
        {
            return true;
        }

        return subjectSha256 is not null
            && snapshot.Subjects.TryGetValue(subjectSha256, out var revokedAt)
            && issuedAt <= revokedAt;
    }

    public void Replace(IEnumerable<string> tokenIds, IEnumerable<KeyValuePair<string, DateTimeOffset>> subjects, DateTimeOffset readAt) =>
        _current = new Snapshot(
            tokenIds.ToFrozenSet(StringComparer.Ordinal),
            subjects.ToFrozenDictionary(StringComparer.Ordinal),
            readAt);

    /// <summary>The feed was read again and is unchanged: the list held is current as of <paramref name="readAt"/>.</summary>
    public void Confirm(DateTimeOffset readAt) => _current = _current with { ReadAt = readAt };

    private sealed record Snapshot(
        FrozenSet<string> TokenIds, FrozenDictionary<string, DateTimeOffset> Subjects, DateTimeOffset? ReadAt)
    {
        public static readonly Snapshot Empty = new(FrozenSet<string>.Empty, FrozenDictionary<string, DateTimeOffset>.Empty, null);
    }
}
