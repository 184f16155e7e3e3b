using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

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

    public bool IsRevoked(string? tokenId, string? subject, DateTimeOffset issuedAt)
    {
        var snapshot = _current;
        if (tokenId is not null && snapshot.TokenIds.Contains(tokenId))
        {
            return true;
        }

        return subject is not null
            && snapshot.Subjects.Count > 0
            && snapshot.Subjects.TryGetValue(Sha256(subject), out var revokedAt)
            && issuedAt <= revokedAt;
    }

    public void Replace(IEnumerable<string> tokenIds, IEnumerable<KeyValuePair<string, DateTimeOffset>> subjects, DateTimeOffset readAt) =>
        _current = new Snapshot(
            tokenIds.ToFrozenSet(StringComparer.Ordinal),
            subjects.ToFrozenDictionary(StringComparer.Ordinal),
            readAt);

    // The feed names subjects by hash only, so it never lists user ids.
    private static string Sha256(string subject) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)));

    private sealed record Snapshot(
        FrozenSet<string> TokenIds, FrozenDictionary<string, DateTimeOffset> Subjects, DateTimeOffset? ReadAt)
    {
        public static readonly Snapshot Empty = new(FrozenSet<string>.Empty, FrozenDictionary<string, DateTimeOffset>.Empty, null);
    }
}
