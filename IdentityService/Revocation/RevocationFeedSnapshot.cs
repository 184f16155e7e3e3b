using System.Collections.Concurrent;
using System.Text.Json;
using IdentityService.Keys;
using IdentityService.Settings;
using JwtPropagation;
using Microsoft.Extensions.Options;

namespace IdentityService.Revocation;

/// <summary>
/// The feed as last read from the store, with its version (the newest line's). Every service polls
/// the feed every second, naming the version it holds: all polls within <see cref="MaxAge"/> share
/// one read, and each is sent the lines after its version alone (nothing, nearly always), so a
/// hundred service instances cost the store a few reads a second and the network almost nothing.
/// </summary>
internal sealed class RevocationFeedSnapshot(
    IServiceScopeFactory scopes, SigningKeyRotation signingKeys, IOptions<IdentityServerOptions> settings, TimeProvider timeProvider)
{
    /// <summary>How stale a served feed may be: a small part of the 5 s within which a revocation reaches every service.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Listing? _current;

    /// <summary>
    /// The feed for a service that holds <paramref name="since"/>: the lines after it, or all of them
    /// (<c>complete</c>) for a service that holds none, or a version this instance has not read yet
    /// (another instance's, or a store's before it was made anew).
    /// </summary>
    public async Task<byte[]> GetAsync(long? since, CancellationToken cancellationToken)
    {
        var listing = await GetListingAsync(cancellationToken);
        if (since is not { } held || held > listing.Version)
        {
            return listing.Complete;
        }

        // Every service that held the same version is sent the same lines: made once per read.
        var firstNew = FirstAfter(listing.Lines, held);
        return listing.After.GetOrAdd(firstNew, first => Serialize(listing.Version, complete: false, listing.Lines.Skip(first)));
    }

    /// <summary>Where the lines newer than <paramref name="version"/> begin, in lines sorted by version.</summary>
    private static int FirstAfter(IReadOnlyList<RevocationFeedEntry> lines, long version)
    {
        var (low, high) = (0, lines.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            (low, high) = lines[middle].Version <= version ? (middle + 1, high) : (low, middle);
        }

        return low;
    }

    private async Task<Listing> GetListingAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_current) is { } fresh)
        {
            return fresh;
        }

        await _reading.WaitAsync(cancellationToken);
        try
        {
            // Another poll may have read it while this one waited.
            if (Fresh(_current) is { } readMeanwhile)
            {
                return readMeanwhile;
            }

            var readAt = timeProvider.GetTimestamp();
            await using var scope = scopes.CreateAsyncScope();
            var log = scope.ServiceProvider.GetRequiredService<RevocationFeedLog>();
            await log.CatchUpAsync(cancellationToken);
            var lines = await log.ReadAsync(cancellationToken);

            // A key another instance retired stops signing here too, within a read of the feed.
            signingKeys.ReloadIfHeld(lines.Where(line => line.KeyId is not null).Select(line => line.KeyId!));

            var version = lines.Count == 0 ? 0 : lines[^1].Version;
            return _current = new Listing(lines, version, Serialize(version, complete: true, lines), readAt);
        }
        finally
        {
            _reading.Release();
        }
    }

    private Listing? Fresh(Listing? listing) =>
        listing is not null && timeProvider.GetElapsedTime(listing.ReadAt) < MaxAge ? listing : null;

    private byte[] Serialize(long version, bool complete, IEnumerable<RevocationFeedEntry> lines)
    {
        var key = settings.Value.RevocationFeedKey;
        List<RevokedToken> tokens = [];
        List<RevokedSubject> subjects = [];
        List<RetiredSigningKey> keys = [];
        foreach (var line in lines)
        {
            if (line.TokenId is { } tokenId)
            {
                tokens.Add(new RevokedToken(tokenId, line.ListedUntil));
            }
            else if (line.KeyId is { } keyId)
            {
                keys.Add(new RetiredSigningKey(keyId, line.ListedUntil));
            }
            else
            {
                subjects.Add(new RevokedSubject(RevokedSubjectHash.Of(line.SubjectSha256!, key), line.RevokedAt!.Value, line.ListedUntil));
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(new Document(version, complete, RevokedSubjectHash.KeyIdOf(key), tokens, subjects) { RetiredSigningKeys = keys }, Json);
    }

    /// <param name="Lines">In the order of their versions.</param>
    /// <param name="ReadAt">A <see cref="TimeProvider.GetTimestamp"/> value.</param>
    private sealed record Listing(IReadOnlyList<RevocationFeedEntry> Lines, long Version, byte[] Complete, long ReadAt)
    {
        /// <summary>The answers made so far to services holding an older version, by where their new lines begin.</summary>
        public ConcurrentDictionary<int, byte[]> After { get; } = new();
    }

    /// <summary>The JSON document (camelCase) served at /revocations.</summary>
    /// <param name="Complete">True: these are all the lines, in place of any held; false: the lines after the version asked for.</param>
    /// <param name="KeyId">The feed key the users' names are made with (<see cref="RevokedSubjectHash.KeyIdOf"/>).</param>
    private sealed record Document(long Version, bool Complete, string KeyId, IReadOnlyList<RevokedToken> RevokedTokens, IReadOnlyList<RevokedSubject> RevokedSubjects)
    {
        /// <summary>Signing keys an admin retired: every token they signed is refused.</summary>
        public IReadOnlyList<RetiredSigningKey> RetiredSigningKeys { get; init; } = [];
    }

    private sealed record RevokedToken(string Jti, DateTime ExpiresAt);

    /// <param name="Kid">The key's <c>kid</c>, as the key set listed it.</param>
    /// <param name="ExpiresAt">When the last token it signed has expired.</param>
    private sealed record RetiredSigningKey(string Kid, DateTime ExpiresAt);

    /// <param name="Name">The user's keyed hash (<see cref="RevokedSubjectHash"/>): only the services can match it.</param>
    /// <param name="RevokedAt">The user's tokens issued at or before this instant are revoked.</param>
    private sealed record RevokedSubject(string Name, DateTime RevokedAt, DateTime ExpiresAt);
}
