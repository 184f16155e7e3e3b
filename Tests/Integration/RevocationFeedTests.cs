using System.Net;
using System.Net.Http.Headers;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Tests.Integration;

/// <summary>
/// The issuer's revocation feed, as every service polls it each second: an unchanged feed costs a
/// 304 and no body; a revocation gives it a new version within the time a revocation may take.
/// Alone, so that no other test's revocation changes the feed between two of its reads.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class RevocationFeedTests(DistributedAppFixture app)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_unchanged_feed_is_answered_304_and_a_revocation_gives_it_a_new_version()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var identity = app.CreateClient("identity");
        using var first = await identity.GetAsync(new Uri("/revocations", UriKind.Relative), cancellationToken);
        var version = first.Headers.ETag;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(version);

        using (var unchanged = await GetIfChangedAsync(identity, version, cancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
            Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync(cancellationToken));
        }

        var token = await app.GetFreshTokenAsync("user194", "users.read", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, await app.RevokeAsync(token, cancellationToken));

        using var changed = await WaitForNewVersionAsync(identity, version, cancellationToken);
        Assert.NotEqual(version, changed.Headers.ETag);
        Assert.Contains(new JsonWebToken(token).Id, await changed.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> WaitForNewVersionAsync(HttpClient identity, EntityTagHeaderValue version, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound);
        while (true)
        {
            var response = await GetIfChangedAsync(identity, version, timeout.Token);
            if (response.StatusCode != HttpStatusCode.NotModified)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    private static async Task<HttpResponseMessage> GetIfChangedAsync(HttpClient identity, EntityTagHeaderValue version, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/revocations", UriKind.Relative));
        request.Headers.IfNoneMatch.Add(version);
        return await identity.SendAsync(request, cancellationToken);
    }
}
