using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Tests.Integration;
using Tests.TokenExchange;

namespace Tests.Revocation;

/// <summary>
/// A token made by token exchange is refused by ProfileService within 5 s of a revocation of
/// anything it was made from: its user, its grant, or the token it was exchanged from. Whatever the
/// issuer stores of an exchanged token (or does not), these three must reach it.
/// </summary>
/// <remarks>
/// Revoking a user refuses every token of theirs issued until then, so this class runs alone, after
/// the tests that use these users (ExportTests and StorePruningTests take user151-user190).
/// </remarks>
[Collection(typeof(ResourceDisruption))]
public sealed class ExchangedTokenRevocationTests(DistributedAppFixture app)
{
    private const string BothServices = "users.read profiles.read";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Revoking_the_user_refuses_the_exchanged_token_within_five_seconds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var signIn = await app.SignInWithRefreshTokenAsync("user187", BothServices, cancellationToken);
        var exchanged = await ExchangedTokens.ForProfileServiceAsync(app, signIn.AccessToken, cancellationToken);

        var admin = await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", cancellationToken);
        await AssertRefusedWithinBoundAsync(exchanged, async () =>
        {
            using var identity = app.CreateClient("identity", admin);
            using var revoke = await identity.PostAsync(new Uri("/admin/subjects/user187/revoke", UriKind.Relative), content: null, cancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }, cancellationToken);
    }

    [Fact]
    public async Task Revoking_the_grant_refuses_the_exchanged_token_within_five_seconds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var signIn = await app.SignInWithRefreshTokenAsync("user188", BothServices, cancellationToken);
        var exchanged = await ExchangedTokens.ForProfileServiceAsync(app, signIn.AccessToken, cancellationToken);

        // RFC 7009: revoking a refresh token revokes its whole grant.
        await AssertRefusedWithinBoundAsync(exchanged, async () =>
        {
            using var identity = app.CreateClient("identity");
            using var revoke = await identity.PostAsync(new Uri("/connect/revoke", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = signIn.RefreshToken,
                ["token_type_hint"] = "refresh_token",
                ["client_id"] = "dev-cli",
            }), cancellationToken);
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }, cancellationToken);
    }

    [Fact]
    public async Task Revoking_the_subject_token_refuses_the_exchanged_token_within_five_seconds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var signIn = await app.SignInWithRefreshTokenAsync("user189", BothServices, cancellationToken);
        var exchanged = await ExchangedTokens.ForProfileServiceAsync(app, signIn.AccessToken, cancellationToken);

        await AssertRefusedWithinBoundAsync(
            exchanged,
            async () => Assert.Equal(HttpStatusCode.OK, await app.RevokeAsync(signIn.AccessToken, cancellationToken)),
            cancellationToken);
    }

    private async Task AssertRefusedWithinBoundAsync(string exchanged, Func<Task> revoke, CancellationToken cancellationToken)
    {
        using var profileService = app.CreateClient("profileservice", exchanged);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(profileService, cancellationToken));

        await revoke();
        var stopwatch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound * 3);
        await Polling.UntilAsync(token => StatusAsync(profileService, token), status => status == HttpStatusCode.Unauthorized, timeout.Token);

        TestContext.Current.TestOutputHelper?.WriteLine($"refused {stopwatch.Elapsed.TotalSeconds:0.00} s after the revocation");
        Assert.True(stopwatch.Elapsed <= Bound, $"The exchanged token was still accepted {stopwatch.Elapsed.TotalSeconds:0.0} s after the revocation.");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient profileService, CancellationToken cancellationToken)
    {
        using var response = await profileService.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
        return response.StatusCode;
    }
}
