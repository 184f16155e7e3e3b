using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Tests.Integration;

namespace Tests.TokenExchange;

/// <summary>
/// A delegation for background work, at the real issuer: UserService's client trades a user's token
/// for a refresh token bound to itself, one audience and one job, that outlives the user's token;
/// later it trades that for short-lived access tokens ProfileService accepts. What it must not do.
/// </summary>
public sealed class DelegationTests(DistributedAppFixture app)
{
    private const string BothServices = "users.read profiles.read";

    [Fact]
    public async Task A_delegation_outlives_the_users_token_and_names_its_job()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = new JsonWebToken(await app.GetTokenAsync("alice", BothServices, cancellationToken));

        using var response = await Delegations.RequestAsync(app, Delegations.CreateForm(userToken.EncodedToken, "job-1"), asUserService: true, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Delegations.RefreshTokenType, body.GetProperty("issued_token_type").GetString());
        var expiresIn = TimeSpan.FromSeconds(body.GetProperty("expires_in").GetInt64());
        Assert.InRange(expiresIn, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        Assert.True(DateTime.UtcNow + expiresIn > userToken.ValidTo.AddHours(1), "The delegation does not outlive the user's token.");

        // Encrypted to the issuer: no service can read or accept it.
        var delegation = body.GetProperty("access_token").GetString()!;
        Assert.Equal(5, delegation.Split('.').Length);
        using var asBearer = app.CreateClient("profileservice", delegation);
        using var refused = await asBearer.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_delegation_gives_ProfileService_tokens_for_its_user_with_UserService_as_actor_and_the_job_named()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var delegation = await Delegations.CreateAsync(app, "bob", "job-2", cancellationToken);

        using var response = await Delegations.RequestAsync(app, Delegations.UseForm(delegation), asUserService: true, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal("bob", token.Subject);
        Assert.Equal(["profileservice"], token.Audiences);
        Assert.Equal("profiles.read", token.GetClaim("scope").Value);
        Assert.Equal("job-2", token.GetClaim("job_id").Value);
        var actor = token.GetPayloadValue<JsonElement>("act");
        Assert.Equal("userservice", actor.GetProperty("sub").GetString());
        Assert.False(actor.TryGetProperty("act", out _), "The actor chain names UserService twice.");
        Assert.InRange(token.ValidTo - DateTime.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(16));

        using var profiles = app.CreateClient("profileservice", token.EncodedToken);
        var profile = await profiles.GetFromJsonAsync<JsonElement>(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
        Assert.Equal("bob", profile.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task A_delegation_is_used_again_and_again_not_used_up()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var delegation = await Delegations.CreateAsync(app, "user133", "job-3", cancellationToken);

        for (var use = 0; use < 3; use++)
        {
            using var response = await Delegations.RequestAsync(app, Delegations.UseForm(delegation), asUserService: true, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_delegation_gives_nothing_without_UserServices_credentials_nor_for_another_audience_or_a_wider_scope()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var delegation = await Delegations.CreateAsync(app, "user134", "job-4", cancellationToken);

        // Bound to UserService's client: the delegation alone is nothing.
        using var anonymous = await Delegations.RequestAsync(app, Delegations.UseForm(delegation), asUserService: false, cancellationToken);
        Assert.False(anonymous.IsSuccessStatusCode, $"The delegation gave a token without client credentials ({anonymous.StatusCode}).");

        using var otherAudience = await Delegations.RequestAsync(app, Delegations.UseForm(delegation, audience: "userservice"), asUserService: true, cancellationToken);
        Assert.Equal("invalid_target", await Delegations.ErrorOfAsync(otherAudience, cancellationToken));

        using var widerScope = await Delegations.RequestAsync(app, Delegations.UseForm(delegation, scope: "profiles.admin"), asUserService: true, cancellationToken);
        Assert.Equal("invalid_scope", await Delegations.ErrorOfAsync(widerScope, cancellationToken));

        // Never redeemed as a refresh token: UserService's client holds no refresh_token grant.
        using var redeemed = await Delegations.RequestAsync(
            app,
            new() { ["grant_type"] = "refresh_token", ["refresh_token"] = delegation }, asUserService: true, cancellationToken);
        Assert.Equal("unauthorized_client", await Delegations.ErrorOfAsync(redeemed, cancellationToken));

        using var delegatedAgain = await Delegations.RequestAsync(
            app,
            new(Delegations.UseForm(delegation)) { ["requested_token_type"] = Delegations.RefreshTokenType, ["job_id"] = "job-5" }, asUserService: true, cancellationToken);
        Assert.Equal("invalid_request", await Delegations.ErrorOfAsync(delegatedAgain, cancellationToken));
    }

    [Fact]
    public async Task A_delegation_names_its_job()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = await app.GetTokenAsync("user135", BothServices, cancellationToken);
        var withoutJob = Delegations.CreateForm(userToken, "job-6");
        withoutJob.Remove("job_id");

        using var response = await Delegations.RequestAsync(app, withoutJob, asUserService: true, cancellationToken);

        Assert.Equal("invalid_request", await Delegations.ErrorOfAsync(response, cancellationToken));
    }
}
