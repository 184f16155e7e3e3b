using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Tests.TokenExchange;

namespace Tests.Integration;

/// <summary>
/// Revocation reaches every service within seconds, without a call to the issuer per request;
/// it survives an issuer restart, holds while the issuer is down, and reuse of a refresh token
/// revokes its family. Some of these stop the identity service, so they run alone.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class RevocationTests(DistributedAppFixture app)
{
    private const string BothServices = "users.read profiles.read";

    // An endpoint of UserService that calls no other service, so a 401 there is UserService's own
    // refusal, not the issuer refusing to exchange the token (404: no such export).
    private static readonly string UserServiceOwnEndpoint = $"/users/me/exports/{Guid.Empty}";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_revoked_token_and_the_token_exchanged_from_it_are_refused_by_both_services_within_five_seconds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await app.GetFreshTokenAsync("user191", BothServices, cancellationToken);
        var exchanged = await ExchangedTokens.ForProfileServiceAsync(app, token, cancellationToken);
        using var userService = app.CreateClient("userservice", token);
        using var profileService = app.CreateClient("profileservice", token);
        using var profileServiceExchanged = app.CreateClient("profileservice", exchanged);
        var calls = new[] { (userService, UserServiceOwnEndpoint), (profileService, "/profiles/me"), (profileServiceExchanged, "/profiles/me") };
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.OK], await StatusesAsync(calls, cancellationToken));

        Assert.Equal(HttpStatusCode.OK, await app.RevokeAsync(token, cancellationToken));

        var refusedAfter = await TimeUntilRefusedAsync(calls, cancellationToken);
        Assert.True(refusedAfter <= Bound, $"The revoked tokens were still accepted {refusedAfter.TotalSeconds:0.0} s after the revocation.");
    }

    [Fact]
    public async Task Revoking_a_user_refuses_their_earlier_tokens_and_holds_across_an_issuer_restart_and_outage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var victim = await app.GetFreshTokenAsync("user192", BothServices, cancellationToken);
        var bystander = await app.GetFreshTokenAsync("user193", "profiles.read", cancellationToken);
        var admin = await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", cancellationToken);
        var notYetExchanged = await app.GetFreshTokenAsync("user195", BothServices, cancellationToken);
        using var userServiceWithoutIssuer = app.CreateClient("userservice", notYetExchanged);
        using var userService = app.CreateClient("userservice", victim);
        using var profileService = app.CreateClient("profileservice", victim);
        using var profileServiceBystander = app.CreateClient("profileservice", bystander);
        var victimCalls = new[] { (userService, UserServiceOwnEndpoint), (profileService, "/profiles/me") };

        using var identity = app.CreateClient("identity", admin);
        using var revoke = await identity.PostAsync(new Uri("/admin/subjects/user192/revoke", UriKind.Relative), content: null, cancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var refusedAfter = await TimeUntilRefusedAsync(victimCalls, cancellationToken);
        Assert.True(refusedAfter <= Bound, $"The revoked user's token was still accepted {refusedAfter.TotalSeconds:0.0} s after the revocation.");

        await app.RunCommandAsync("identity", KnownResourceCommands.RestartCommand, cancellationToken);
        await app.WaitUntilHealthyAsync(cancellationToken);
        using var feed = app.CreateClient("identity");
        var revocations = await feed.GetStringAsync(new Uri("/revocations", UriKind.Relative), cancellationToken);
        // Named by a hash keyed with the services' secret: not by id, nor by a hash anyone can compute.
        var feedKey = await app.GetParameterValueAsync("revocation-feed-key", cancellationToken);
        Assert.Contains(RevokedSubjectHash.Of(RevokedSubjectHash.Sha256Of("user192"), feedKey), revocations, StringComparison.Ordinal);
        Assert.DoesNotContain(RevokedSubjectHash.Sha256Of("user192"), revocations, StringComparison.Ordinal);
        Assert.DoesNotContain("user192", revocations, StringComparison.Ordinal);

        await app.RunCommandAsync("identity", KnownResourceCommands.StopCommand, cancellationToken);
        try
        {
            // With the issuer gone, validation goes on with the keys and revocations already known.
            Assert.All(await StatusesAsync(victimCalls, cancellationToken), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
            using var stillServed = await profileServiceBystander.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
            Assert.Equal(HttpStatusCode.OK, stillServed.StatusCode);

            // A token UserService has not exchanged yet cannot be: the call fails fast and says why.
            using var unexchangeable = await userServiceWithoutIssuer.GetAsync(new Uri("/users/me", UriKind.Relative), cancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unexchangeable.StatusCode);
            Assert.Equal("issuer unavailable", (await unexchangeable.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("title").GetString());
        }
        finally
        {
            await app.RunCommandAsync("identity", KnownResourceCommands.StartCommand, cancellationToken);
            await app.WaitUntilHealthyAsync(cancellationToken);
        }
    }

    [Fact]
    public async Task Reusing_a_refresh_token_fails_and_revokes_its_whole_family()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var identity = app.CreateClient("identity");
        var first = await TokenRequestAsync(identity, new()
        {
            ["grant_type"] = "password",
            ["client_id"] = "dev-cli",
            ["username"] = "user194",
            ["password"] = DistributedAppFixture.Password,
            ["scope"] = "users.read profiles.read offline_access",
        }, cancellationToken);
        var second = await TokenRequestAsync(identity, Refresh(first.RefreshToken!), cancellationToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);

        // Both access tokens of the family, at both services: accepted before the reuse.
        using var userServiceFirst = app.CreateClient("userservice", first.AccessToken!);
        using var userService = app.CreateClient("userservice", second.AccessToken!);
        using var profileServiceFirst = app.CreateClient("profileservice", first.AccessToken!);
        using var profileService = app.CreateClient("profileservice", second.AccessToken!);
        (HttpClient Client, string Path)[] family =
            [(userServiceFirst, UserServiceOwnEndpoint), (userService, UserServiceOwnEndpoint), (profileServiceFirst, "/profiles/me"), (profileService, "/profiles/me")];
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.OK], await StatusesAsync(family, cancellationToken));

        using var reuse = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), Form(Refresh(first.RefreshToken!)), cancellationToken);
        using var rotated = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), Form(Refresh(second.RefreshToken!)), cancellationToken);

        Assert.Equal("invalid_grant", await ErrorOfAsync(reuse, cancellationToken));
        Assert.Equal("invalid_grant", await ErrorOfAsync(rotated, cancellationToken));
        var refusedAfter = await TimeUntilRefusedAsync(family, cancellationToken);
        Assert.True(refusedAfter <= Bound, $"The family's access tokens were still accepted {refusedAfter.TotalSeconds:0.0} s later.");
    }

    /// <summary>Asks again until every call is refused, and says how long that took.</summary>
    private static async Task<TimeSpan> TimeUntilRefusedAsync(
        IReadOnlyList<(HttpClient Client, string Path)> calls, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound * 3);
        var stopwatch = Stopwatch.StartNew();
        await Polling.UntilAsync(
            token => StatusesAsync(calls, token),
            statuses => statuses.All(status => status == HttpStatusCode.Unauthorized),
            timeout.Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"refused {stopwatch.Elapsed.TotalSeconds:0.00} s after the revocation");
        return stopwatch.Elapsed;
    }

    private static async Task<HttpStatusCode[]> StatusesAsync(
        IReadOnlyList<(HttpClient Client, string Path)> calls, CancellationToken cancellationToken) =>
        await Task.WhenAll(calls.Select(async call =>
        {
            using var response = await call.Client.GetAsync(new Uri(call.Path, UriKind.Relative), cancellationToken);
            return response.StatusCode;
        }));

    private static Dictionary<string, string> Refresh(string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token",
        ["client_id"] = "dev-cli",
        ["refresh_token"] = refreshToken,
    };

    private static async Task<TokenResponse> TokenRequestAsync(HttpClient identity, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), Form(form), cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!;
    }

    private static async Task<string?> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
    }

    private static FormUrlEncodedContent Form(Dictionary<string, string> fields) => new(fields);

    private sealed record TokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string? AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken);
}
