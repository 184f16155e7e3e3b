using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Tests.Integration;

namespace Tests.TokenExchange;

/// <summary>
/// Exchange mode against the real issuer and ProfileService: what reaches ProfileService, how
/// often the issuer is asked, and that Forward mode stays available.
/// </summary>
public sealed class TokenExchangeTests(DistributedAppFixture app)
{
    private const string BothServices = "users.read profiles.read";

    [Fact]
    public async Task ProfileService_receives_a_token_for_its_own_audience_for_the_same_user_with_UserService_as_actor()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = new JsonWebToken(await app.GetTokenAsync("alice", BothServices, cancellationToken));
        await using var propagation = await PropagatingClient.CreateAsync(app, Exchange, cancellationToken);

        var profile = await GetMyProfileAsync(propagation, userToken, cancellationToken);

        var sent = new JsonWebToken(Assert.Single(propagation.SentTokens));
        Assert.Equal("alice", profile.UserId);
        Assert.Equal(["profileservice"], sent.Audiences);
        Assert.Equal("alice", sent.Subject);
        Assert.Equal("userservice", sent.GetPayloadValue<JsonElement>("act").GetProperty("sub").GetString());
        Assert.True(sent.ValidTo <= userToken.ValidTo, "The exchanged token outlives the user's token.");
        Assert.Subset(Scopes(userToken), Scopes(sent));
    }

    [Fact]
    public async Task Sequential_requests_of_one_user_cause_one_exchange()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = new JsonWebToken(await app.GetTokenAsync("user011", BothServices, cancellationToken));
        await using var propagation = await PropagatingClient.CreateAsync(app, Exchange, cancellationToken);

        for (var request = 0; request < 100; request++)
        {
            await GetMyProfileAsync(propagation, userToken, cancellationToken);
        }

        Assert.Single(propagation.Exchanges);
        Assert.Single(propagation.SentTokens.Distinct());
    }

    [Fact]
    public async Task Concurrent_first_requests_of_one_user_share_one_exchange_and_users_never_share_a_token()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var users = new[] { "user012", "user013" };
        var userTokens = await Task.WhenAll(users.Select(async user =>
            new JsonWebToken(await app.GetTokenAsync(user, BothServices, cancellationToken))));
        await using var propagation = await PropagatingClient.CreateAsync(app, Exchange, cancellationToken);

        var profiles = await Task.WhenAll(userTokens.SelectMany(userToken =>
            Enumerable.Range(0, 50).Select(_ => Task.Run(() => GetMyProfileAsync(propagation, userToken, cancellationToken), cancellationToken))));

        Assert.Equal(users.Length, propagation.Exchanges.Count);
        var sent = propagation.SentTokens.Distinct().Select(token => new JsonWebToken(token)).ToList();
        Assert.Equal(users, sent.Select(token => token.Subject).Order());
        Assert.Equal(50, profiles.Count(profile => profile.UserId == users[0]));
        Assert.Equal(50, profiles.Count(profile => profile.UserId == users[1]));
    }

    [Fact]
    public async Task A_wrong_client_secret_is_refused_after_the_right_one_was_accepted()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = new JsonWebToken(await app.GetTokenAsync("alice", BothServices, cancellationToken));
        await using (var rightSecret = await PropagatingClient.CreateAsync(app, Exchange, cancellationToken))
        {
            await GetMyProfileAsync(rightSecret, userToken, cancellationToken);
        }

        // The issuer remembers a secret that verified: what it remembers must not stand for the client.
        await using var wrongSecret = await PropagatingClient.CreateAsync(
            app, Exchange, cancellationToken, clientSecret: "not-the-secret-of-userservice-0123456789");
        var error = await Assert.ThrowsAsync<TokenExchangeException>(() => GetMyProfileAsync(wrongSecret, userToken, cancellationToken));

        Assert.Equal("invalid_client", error.Error);
        Assert.Empty(wrongSecret.SentTokens);
    }

    [Fact]
    public async Task Asking_for_a_scope_the_user_did_not_grant_is_refused_by_the_issuer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = new JsonWebToken(await app.GetTokenAsync("alice", BothServices, cancellationToken));
        await using var propagation = await PropagatingClient.CreateAsync(app, options =>
        {
            Exchange(options);
            options.Scopes = ["profiles.admin"];
        }, cancellationToken);

        var error = await Assert.ThrowsAsync<TokenExchangeException>(() => GetMyProfileAsync(propagation, userToken, cancellationToken));

        Assert.Equal("invalid_scope", error.Error);
        Assert.Empty(propagation.SentTokens);
    }

    [Fact]
    public async Task A_token_that_grants_nothing_at_ProfileService_is_not_exchanged_for_one_that_does()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var usersOnly = new JsonWebToken(await app.GetTokenAsync("alice", "users.read", cancellationToken));
        await using var propagation = await PropagatingClient.CreateAsync(app, Exchange, cancellationToken);

        var error = await Assert.ThrowsAsync<TokenExchangeException>(() => GetMyProfileAsync(propagation, usersOnly, cancellationToken));

        Assert.Equal("invalid_scope", error.Error);
        Assert.Empty(propagation.SentTokens);
    }

    [Fact]
    public async Task An_exchanged_token_carries_only_scopes_its_subject_token_has()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = new JsonWebToken(await app.GetTokenAsync("bob", BothServices, cancellationToken));
        await using var propagation = await PropagatingClient.CreateAsync(app, Exchange, cancellationToken);

        await GetMyProfileAsync(propagation, userToken, cancellationToken);

        var exchanged = new JsonWebToken(Assert.Single(propagation.SentTokens)!);
        Assert.Equal("profiles.read", exchanged.GetClaim("scope").Value);
    }

    [Fact]
    public async Task Forward_mode_sends_the_users_token_as_it_is_and_ProfileService_refuses_one_not_meant_for_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var forBoth = new JsonWebToken(await app.GetTokenAsync("bob", BothServices, cancellationToken));
        var usersOnly = new JsonWebToken(await app.GetTokenAsync("bob", "users.read", cancellationToken));
        await using var propagation = await PropagatingClient.CreateAsync(
            app, options => options.Mode = TokenPropagationMode.Forward, cancellationToken);

        var profile = await GetMyProfileAsync(propagation, forBoth, cancellationToken);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => GetMyProfileAsync(propagation, usersOnly, cancellationToken));

        Assert.Equal("bob", profile.UserId);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal([forBoth.EncodedToken, usersOnly.EncodedToken], propagation.SentTokens);
        Assert.Empty(propagation.Exchanges);
    }

    private static void Exchange(TokenPropagationOptions options) => options.Mode = TokenPropagationMode.Exchange;

    private static async Task<ProfileBody> GetMyProfileAsync(
        PropagatingClient propagation, JsonWebToken userToken, CancellationToken cancellationToken)
    {
        using (CallerTokenContext.Restore(new CallerToken(userToken.EncodedToken, userToken.Subject, userToken.ValidTo)))
        {
            var profile = await propagation.Client.GetFromJsonAsync<ProfileBody>(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
            return profile ?? throw new InvalidOperationException("ProfileService answered no profile.");
        }
    }

    private static HashSet<string> Scopes(JsonWebToken token) =>
        token.TryGetPayloadValue<string>("scope", out var scope) ? [.. scope.Split(' ')] : [];
}
