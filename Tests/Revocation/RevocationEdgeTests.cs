using System.Net;
using System.Net.Http.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Tests.Integration;

namespace Tests.Revocation;

/// <summary>
/// A revoked token stays refused through the clock skew past its <c>exp</c>, for services that read
/// the feed then for the first time too; and a service whose feed key is not the issuer's says so.
/// </summary>
public sealed class RevocationEdgeTests(RevocationEdgeApp app) : IClassFixture<RevocationEdgeApp>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_revoked_token_is_refused_until_20_s_past_its_exp_and_the_feed_still_lists_it_then()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await app.GetFreshTokenAsync("user171", "profiles.read", cancellationToken);
        var jti = new JsonWebToken(token).Id;
        var expiresAt = new DateTimeOffset(new JsonWebToken(token).ValidTo, TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, await app.RevokeAsync(token, cancellationToken));
        using var profiles = app.CreateClient("profileservice", token);
        using var identity = app.CreateClient("identity");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RevocationEdgeApp.AccessTokenLifetime + Bound);
        await Polling.UntilAsync(StatusAsync, status => status == HttpStatusCode.Unauthorized, timeout.Token);

        // From then until 20 s past exp (the services accept a token up to 30 s past it), every call is refused.
        var refusedUntil = expiresAt + TimeSpan.FromSeconds(20);
        var ended = await Polling.UntilAsync(
            async read => (Status: await StatusAsync(read), At: DateTimeOffset.UtcNow),
            call => call.Status != HttpStatusCode.Unauthorized || call.At >= refusedUntil,
            timeout.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, ended.Status);

        // What a service starting now is sent still lists it: a new instance would refuse it too.
        var feed = await identity.GetFromJsonAsync<Feed>(new Uri("/revocations", UriKind.Relative), cancellationToken);
        Assert.Contains(jti, feed!.RevokedTokens.Select(revoked => revoked.Jti));

        async Task<HttpStatusCode> StatusAsync(CancellationToken read)
        {
            using var response = await profiles.GetAsync(new Uri("/profiles/me", UriKind.Relative), read);
            return response.StatusCode;
        }
    }

    [Fact]
    public async Task A_service_whose_feed_key_is_not_the_issuers_is_not_ready_and_health_says_why()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var userService = app.CreateClient("userservice");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound);

        // The service answers /health once it runs; the feed's first read tells it the issuer's key.
        var health = await Polling.UntilAsync(
            async read =>
            {
                try
                {
                    using var response = await userService.GetAsync(new Uri("/health", UriKind.Relative), read);
                    return (Status: response.StatusCode, Body: await response.Content.ReadAsStringAsync(read));
                }
                catch (HttpRequestException)
                {
                    return (Status: HttpStatusCode.ServiceUnavailable, Body: "");
                }
            },
            answer => answer.Body.Contains("names its users with key", StringComparison.Ordinal),
            timeout.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Contains("RevocationFeedKey", health.Body, StringComparison.Ordinal);
    }

    private sealed record Feed(IReadOnlyList<RevokedToken> RevokedTokens);

    private sealed record RevokedToken(string Jti);
}
