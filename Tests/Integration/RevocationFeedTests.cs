using System.Net.Http.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Tests.Integration;

/// <summary>
/// The issuer's revocation feed, as every service polls it each second, naming the version it
/// holds: nothing new costs an empty answer; a revocation brings a new version, and a service that
/// held the one before is sent the new line alone. Alone, so that no other test's revocation
/// changes the feed between two of its reads.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class RevocationFeedTests(DistributedAppFixture app)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_service_holding_the_current_version_is_sent_nothing_and_after_a_revocation_the_new_line_alone()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var identity = app.CreateClient("identity");
        var first = await ReadAsync(identity, since: null, cancellationToken);
        Assert.True(first.Complete);

        var unchanged = await ReadAsync(identity, first.Version, cancellationToken);
        Assert.False(unchanged.Complete);
        Assert.Equal(first.Version, unchanged.Version);
        Assert.Empty(unchanged.RevokedTokens);
        Assert.Empty(unchanged.RevokedSubjects);

        var token = await app.GetFreshTokenAsync("user194", "users.read", cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, await app.RevokeAsync(token, cancellationToken));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound);
        var changed = await Polling.UntilAsync(read => ReadAsync(identity, first.Version, read), feed => feed.Version > first.Version, timeout.Token);
        Assert.False(changed.Complete);
        Assert.Equal([new JsonWebToken(token).Id], changed.RevokedTokens.Select(revoked => revoked.Jti));

        var whole = await ReadAsync(identity, since: null, cancellationToken);
        Assert.True(whole.Complete);
        Assert.Contains(new JsonWebToken(token).Id, whole.RevokedTokens.Select(revoked => revoked.Jti));
    }

    [Fact]
    public async Task A_version_the_issuer_has_not_read_is_answered_with_every_line()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var identity = app.CreateClient("identity");
        var current = await ReadAsync(identity, since: null, cancellationToken);

        // Another instance's newer version, or one of a store made anew since.
        var unknown = await ReadAsync(identity, current.Version + 1_000, cancellationToken);

        Assert.True(unknown.Complete);
        Assert.Equal(current.RevokedTokens.Count, unknown.RevokedTokens.Count);
    }

    private static async Task<Feed> ReadAsync(HttpClient identity, long? since, CancellationToken cancellationToken) =>
        await identity.GetFromJsonAsync<Feed>(new Uri(since is null ? "/revocations" : $"/revocations?since={since}", UriKind.Relative), cancellationToken)
        ?? throw new InvalidOperationException("The feed was empty.");

    private sealed record Feed(long Version, bool Complete, IReadOnlyList<FeedToken> RevokedTokens, IReadOnlyList<FeedSubject> RevokedSubjects);

    private sealed record FeedToken(string Jti, DateTimeOffset ExpiresAt);

    private sealed record FeedSubject(string Name, DateTimeOffset RevokedAt, DateTimeOffset ExpiresAt);
}
