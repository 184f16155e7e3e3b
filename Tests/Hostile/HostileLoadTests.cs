using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Serialization;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using JwtPropagation;
using Microsoft.IdentityModel.JsonWebTokens;
using Tests.Integration;

namespace Tests.Hostile;

/// <summary>
/// The attacks of a stranger and of a user against the real app, and the defended outcome of each:
/// slow bodies hold no permit, an oversized form is refused at once, a flood is turned away per
/// caller, one user's exports are capped, a revocation loop cannot grow the feed, and a service
/// tells when its revocation list is too old. All traffic goes to loopback; every loop is bounded
/// in count and time. Alone, after the other tests: the attacks load the machine.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class HostileLoadTests(HostileLoadApp app) : IClassFixture<HostileLoadApp>
{
    private const int SlowConnections = 80;
    private const int SlowBodyLength = 16_000;
    private static readonly TimeSpan ServedWithin = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RevocationBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AttackLimit = TimeSpan.FromMinutes(2);

    /// <summary>After the issuer is back: a feed poll's held attempt (5 s) and the next poll, with room for a busy machine.</summary>
    private static readonly TimeSpan ServedAgainWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FloodLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task With_80_slow_bodies_at_the_issuer_and_at_UserService_a_token_request_and_a_call_are_answered_within_2_s_and_both_say_ready()
    {
        using var timeout = TestTimeout.After(AttackLimit);
        var cancellationToken = timeout.Token;
        var aliceToken = await app.GetTokenAsync("alice", "users.read profiles.read", cancellationToken);
        using var userService = app.CreateClient("userservice", aliceToken);
        using var identity = app.CreateClient("identity");

        // Warm: what is measured is the attack's effect, not a first call's compilation.
        await app.GetFreshTokenAsync("bob", "users.read", cancellationToken);
        (await userService.GetAsync(new Uri("/users/me", UriKind.Relative), cancellationToken)).Dispose();

        // 300 bytes a second each, 24 KB/s in all, as the issue's attacker sent.
        var slow = new List<RawRequest>();
        try
        {
            foreach (var (service, path) in new[] { ("identity", "/connect/token"), ("userservice", "/users/me/exports") })
            {
                var address = app.App.GetEndpoint(service, "http");
                for (var connection = 0; connection < SlowConnections; connection++)
                {
                    slow.Add(await RawRequest.StartAsync(address, "POST", path, SlowBodyLength, cancellationToken, authorization: "Bearer x"));
                }
            }

            var trickles = slow.Select(request => request.TrickleAsync(SlowBodyLength, bytesPerTick: 30, TimeSpan.FromMilliseconds(100), limit: TimeSpan.FromSeconds(30), cancellationToken)).ToList();

            var tokenRequest = Stopwatch.StartNew();
            var token = await app.GetFreshTokenAsync("bob", "users.read", cancellationToken);
            tokenRequest.Stop();
            var call = Stopwatch.StartNew();
            using var me = await userService.GetAsync(new Uri("/users/me", UriKind.Relative), cancellationToken);
            call.Stop();
            var identityHealth = await identity.GetStringAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            var userServiceHealth = await userService.GetStringAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            var stillSlow = slow.Count(request => !request.Answer.IsCompleted);

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"under {slow.Count} slow bodies ({stillSlow} still sending): token request {tokenRequest.ElapsedMilliseconds} ms, /users/me {call.ElapsedMilliseconds} ms");
            Assert.NotEmpty(token);
            Assert.InRange(tokenRequest.Elapsed, TimeSpan.Zero, ServedWithin);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.InRange(call.Elapsed, TimeSpan.Zero, ServedWithin);
            Assert.Equal("Healthy", identityHealth);
            Assert.Equal("Healthy", userServiceHealth);
            Assert.Equal(slow.Count, stillSlow);

            // The slow bodies themselves end with 408 once their time is up; none got through.
            await Task.WhenAll(trickles);
            var answers = await Task.WhenAll(slow.Select(request => request.Answer));
            Assert.All(answers, answer => Assert.Equal(HttpStatusCode.RequestTimeout, answer?.Status));
        }
        finally
        {
            foreach (var request in slow)
            {
                await request.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_oversized_form_at_the_token_endpoint_is_refused_with_413_before_its_body_is_sent()
    {
        using var timeout = TestTimeout.After(FloodLimit);

        // A server that read the body would wait for it (10 s) and answer 408.
        await using var request = await RawRequest.StartAsync(app.App.GetEndpoint("identity", "http"), "POST", "/connect/token", 29_000_000, timeout.Token);

        var answer = await request.Answer.WaitAsync(timeout.Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer?.Status);
        Assert.Equal("application/problem+json", answer!.Headers["Content-Type"]);
    }

    [Fact]
    public async Task A_token_request_flood_from_one_address_gets_429_with_Retry_After_while_a_caller_elsewhere_is_served()
    {
        using var timeout = TestTimeout.After(FloodLimit);
        var cancellationToken = timeout.Token;

        // From 127.0.0.2, straight to the issuer: through Aspire's proxy every caller is 127.0.0.1.
        using var stranger = new HttpClient(new SocketsHttpHandler { ConnectCallback = ConnectFromAsync(IPAddress.Parse("127.0.0.2")) })
        {
            BaseAddress = await app.InstanceAddressAsync("identity", cancellationToken),
        };
        using var refused = await FloodAsync(stranger, () => PasswordGrant("nobody", "wrong"), cancellationToken);

        var served = await app.GetFreshTokenAsync("user060", "users.read", cancellationToken);

        await AssertTooManyAsync(refused, cancellationToken);
        Assert.NotEmpty(served);
    }

    [Fact]
    public async Task A_flood_from_one_confidential_client_gets_429_while_other_callers_are_served()
    {
        using var timeout = TestTimeout.After(FloodLimit);
        var cancellationToken = timeout.Token;
        using var identity = app.CreateClient("identity");

        // Its client id and any secret: what a stranger who learnt the id could send.
        using var refused = await FloodAsync(identity, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("userservice:not-the-secret")));
            return request;
        }, cancellationToken);

        var served = await app.GetFreshTokenAsync("user060", "users.read", cancellationToken);

        await AssertTooManyAsync(refused, cancellationToken);
        Assert.NotEmpty(served);
    }

    [Fact]
    public async Task One_users_export_flood_is_capped_with_429_while_another_users_export_is_accepted()
    {
        using var timeout = TestTimeout.After(FloodLimit);
        var cancellationToken = timeout.Token;
        using var flooder = app.CreateClient("userservice", await app.GetTokenAsync("user061", "users.read profiles.read", cancellationToken));
        using var other = app.CreateClient("userservice", await app.GetTokenAsync("user062", "users.read profiles.read", cancellationToken));

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => flooder.PostAsync(new Uri("/users/me/exports", UriKind.Relative), content: null, cancellationToken)));
        using var accepted = await other.PostAsync(new Uri("/users/me/exports", UriKind.Relative), content: null, cancellationToken);

        try
        {
            var capped = answers.Where(answer => answer.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"50 exports at once: {answers.Count(answer => answer.StatusCode == HttpStatusCode.Accepted)} accepted, {capped.Count} refused with 429");
            Assert.All(answers, answer => Assert.Contains(answer.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests }));
            Assert.NotEmpty(capped);
            await AssertTooManyAsync(capped[0], cancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }
        finally
        {
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_feed_grown_by_a_refresh_and_revoke_loop_stays_within_its_bound_and_each_revocation_reaches_both_services_within_5_s()
    {
        using var timeout = TestTimeout.After(AttackLimit);
        var cancellationToken = timeout.Token;
        const string user = "user063";
        var perSubject = new IdentityService.Settings.IdentityServerOptions().RevocationFeedTokensPerSubject;
        var rounds = perSubject + 5;
        using var identity = app.CreateClient("identity");
        var grant = await TokenAsync(identity, new()
        {
            ["grant_type"] = "password", ["client_id"] = "dev-cli", ["username"] = user, ["password"] = DistributedAppFixture.Password,
            ["scope"] = "users.read profiles.read offline_access",
        }, cancellationToken);

        var revoked = new List<string>();
        var slowest = TimeSpan.Zero;
        for (var round = 0; round < rounds; round++)
        {
            // A token's iat counts whole seconds: one issued in the second of a revoked one reads as
            // issued with it, and a line for the user's tokens until then would take it along.
            await Polling.UntilAsync(_ => Task.FromResult(DateTimeOffset.UtcNow), now => revoked.Count == 0 || now.ToUnixTimeSeconds() > IssuedAt(revoked[^1]), cancellationToken);
            grant = await TokenAsync(identity, new()
            {
                ["grant_type"] = "refresh_token", ["client_id"] = "dev-cli", ["refresh_token"] = grant.RefreshToken!,
            }, cancellationToken);
            using var userService = app.CreateClient("userservice", grant.AccessToken);
            using var profileService = app.CreateClient("profileservice", grant.AccessToken);
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(userService, "/users/me", cancellationToken));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(profileService, "/profiles/me", cancellationToken));

            Assert.Equal(HttpStatusCode.OK, await app.RevokeAsync(grant.AccessToken, cancellationToken));
            revoked.Add(grant.AccessToken);
            var reach = Stopwatch.StartNew();
            await RefusedWithinAsync(userService, "/users/me", cancellationToken);
            await RefusedWithinAsync(profileService, "/profiles/me", cancellationToken);
            slowest = reach.Elapsed > slowest ? reach.Elapsed : slowest;
        }

        var feed = await identity.GetFromJsonAsync<Feed>(new Uri("/revocations", UriKind.Relative), cancellationToken);
        var subject = RevokedSubjectHash.Of(RevokedSubjectHash.Sha256Of(user), await app.GetParameterValueAsync("revocation-feed-key", cancellationToken));
        var loopLines = feed!.RevokedTokens.Count(line => revoked.Select(token => new JsonWebToken(token).Id).Contains(line.Jti));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{rounds} tokens revoked: {loopLines} listed one by one, the user's line {(feed.RevokedSubjects.Any(line => line.Name == subject) ? "listed" : "missing")}; slowest revocation reached both services in {slowest.TotalMilliseconds:0} ms");
        Assert.InRange(loopLines, 0, perSubject);
        Assert.Contains(feed.RevokedSubjects, line => line.Name == subject);
        Assert.All(revoked, token => Assert.True(
            feed.RevokedTokens.Any(line => line.Jti == new JsonWebToken(token).Id)
            || feed.RevokedSubjects.Any(line => line.Name == subject && line.RevokedAt >= new JsonWebToken(token).IssuedAt),
            "A revoked token is in no line of the feed."));
    }

    [Fact]
    public async Task With_the_issuer_out_of_reach_past_the_max_age_a_service_says_Degraded_and_one_set_to_fail_closed_refuses_tokens_until_it_is_back()
    {
        using var timeout = TestTimeout.After(AttackLimit);
        var cancellationToken = timeout.Token;
        var token = await app.GetTokenAsync("user064", "users.read profiles.read", cancellationToken);
        using var userService = app.CreateClient("userservice", token);
        using var profileService = app.CreateClient("profileservice", token);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(profileService, "/profiles/me", cancellationToken));

        await app.RunCommandAsync("identity", KnownResourceCommands.StopCommand, cancellationToken);
        try
        {
            // Each service's list grows old from its own last read: within a poll of each other.
            var degraded = await Polling.UntilAsync(
                read => userService.GetStringAsync(new Uri("/health", UriKind.Relative), read), health => health.StartsWith("Degraded", StringComparison.Ordinal), cancellationToken);
            await Polling.UntilAsync(read => StatusAsync(profileService, "/profiles/me", read), status => status == HttpStatusCode.Unauthorized, cancellationToken);
            using var notReady = await profileService.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);

            Assert.Contains("revocation-feed: The revocation feed was last read", degraded, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(userService, $"/users/me/exports/{Guid.Empty}", cancellationToken));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains("revocation-feed: The revocation feed was last read", await notReady.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        }
        finally
        {
            // With a time of its own: the issuer comes back even when the test ran out of time.
            using var restart = TestTimeout.After(AttackLimit);
            await app.RunCommandAsync("identity", KnownResourceCommands.StartCommand, restart.Token);
            await app.WaitUntilHealthyAsync(restart.Token);
        }

        // Served again once it has read the feed anew: a poll that was held by the stopped issuer's
        // proxy gives up after its 5 s attempt, so within seconds, not at once; Aspire may also call
        // the service healthy from a check made before it went unready.
        var back = Stopwatch.StartNew();
        await Polling.UntilAsync(read => StatusAsync(profileService, "/profiles/me", read), status => status == HttpStatusCode.OK, cancellationToken);
        Assert.True(back.Elapsed <= ServedAgainWithin, $"Served again only {back.Elapsed.TotalSeconds:0.0} s after the issuer was back.");
    }

    /// <summary>Sends what <paramref name="request"/> makes, one after another, until one is refused with 429 (at most 500, within the test's time).</summary>
    private static async Task<HttpResponseMessage> FloodAsync(HttpClient client, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var sent = 0; sent < 500; sent++)
        {
            using var message = request();
            var answer = await client.SendAsync(message, cancellationToken);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return answer;
            }

            answer.Dispose();
        }

        throw new InvalidOperationException("500 requests in a row were not refused.");
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage answer, CancellationToken cancellationToken)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.True(answer.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {answer.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many", await answer.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }

    private static HttpRequestMessage PasswordGrant(string user, string password) => new(HttpMethod.Post, "/connect/token")
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "dev-cli", ["username"] = user, ["password"] = password,
        }),
    };

    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectFromAsync(IPAddress from) => async (context, cancellationToken) =>
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };

    private static async Task<TokenResponse> TokenAsync(HttpClient identity, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(form), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken) ?? throw new InvalidOperationException("No token response.");
    }

    private static long IssuedAt(string token) => new DateTimeOffset(new JsonWebToken(token).IssuedAt, TimeSpan.Zero).ToUnixTimeSeconds();

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        return response.StatusCode;
    }

    private static async Task RefusedWithinAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(RevocationBound);
        await Polling.UntilAsync(read => StatusAsync(client, path, read), status => status == HttpStatusCode.Unauthorized, bound.Token);
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);

    private sealed record Feed(IReadOnlyList<FeedToken> RevokedTokens, IReadOnlyList<FeedSubject> RevokedSubjects);

    private sealed record FeedToken(string Jti);

    private sealed record FeedSubject(string Name, DateTime RevokedAt);
}
