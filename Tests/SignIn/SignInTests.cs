using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Web;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using Tests.Dashboard;
using Tests.Integration;

namespace Tests.SignIn;

/// <summary>
/// A person signs in at the issuer with the authorization code flow and PKCE, as a local tool
/// would have them do: in a real browser, through the sign-in page, to the public client
/// <c>local-tools</c> registered from settings (IdentityService/appsettings.json).
/// </summary>
public sealed class SignInTests(DistributedAppFixture app)
{
    private const string ClientId = "local-tools";
    private const string RedirectUri = "http://127.0.0.1:8765/callback";
    private const string PostLogoutRedirectUri = "http://127.0.0.1:8765/signed-out";
    private const string Scopes = "users.read profiles.read offline_access";

    [Fact]
    public async Task Alice_signs_in_in_a_browser_and_her_code_redeemed_once_with_its_verifier_calls_through_both_services()
    {
        Chromium.SkipUnlessInstalled();
        var cancellationToken = TestContext.Current.CancellationToken;
        using var identity = app.CreateClient("identity");
        await using var browser = await BrowserSignIn.OpenAsync(identity);
        var verifier = NewVerifier();

        await browser.AuthorizeAsync(Challenge(verifier));
        var callback = await browser.SubmitAsync("alice", DistributedAppFixture.Password, cancellationToken);

        var answer = HttpUtility.ParseQueryString(new Uri(callback!).Query);
        Assert.Equal("state-1", answer["state"]);
        var code = answer["code"] ?? throw new InvalidOperationException("The callback carried no code.");
        using var redeemed = await RedeemAsync(identity, code, verifier, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        var tokens = (await redeemed.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!;
        Assert.NotNull(tokens.RefreshToken);

        using var userService = app.CreateClient("userservice", tokens.AccessToken!);
        var me = await userService.GetFromJsonAsync<UserBody>(new Uri("/users/me", UriKind.Relative), cancellationToken);
        Assert.Equal(("alice", "alice"), (me?.UserId, me?.Profile.UserId));

        // A code is good for one redemption only.
        using var again = await RedeemAsync(identity, code, verifier, cancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("invalid_grant", (await again.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))?.Error);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_page_without_saying_why_and_no_code_is_issued()
    {
        Chromium.SkipUnlessInstalled();
        using var identity = app.CreateClient("identity");
        await using var browser = await BrowserSignIn.OpenAsync(identity);

        await browser.AuthorizeAsync(Challenge(NewVerifier()));
        var callback = await browser.SubmitAsync("bob", "not-his-password", TestContext.Current.CancellationToken);

        Assert.Null(callback);
    }

    [Fact]
    public async Task Repeated_failures_throttle_the_name_so_even_the_right_password_is_refused_with_the_same_message()
    {
        Chromium.SkipUnlessInstalled();
        var cancellationToken = TestContext.Current.CancellationToken;
        using var identity = app.CreateClient("identity");
        await using var browser = await BrowserSignIn.OpenAsync(identity);
        await browser.AuthorizeAsync(Challenge(NewVerifier()));

        // user199 signs in nowhere else. A name is throttled after 10 wrong passwords
        // (IdentityServer:SignInThrottle); nothing is stored on the account (GuessThrottleTests).
        for (var attempt = 0; attempt < 10; attempt++)
        {
            Assert.Null(await browser.SubmitAsync("user199", $"wrong-{attempt}", cancellationToken));
        }

        Assert.Null(await browser.SubmitAsync("user199", DistributedAppFixture.Password, cancellationToken));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_at_the_issuer_and_returns_to_the_clients_page()
    {
        Chromium.SkipUnlessInstalled();
        var cancellationToken = TestContext.Current.CancellationToken;
        using var identity = app.CreateClient("identity");
        await using var browser = await BrowserSignIn.OpenAsync(identity);
        await browser.AuthorizeAsync(Challenge(NewVerifier()));
        Assert.NotNull(await browser.SubmitAsync("bob", DistributedAppFixture.Password, cancellationToken));

        var signedOut = await browser.SignOutAsync();

        Assert.Equal(PostLogoutRedirectUri, signedOut);
        await browser.AuthorizeAsync(Challenge(NewVerifier()));
        await browser.Page.GetByLabel("User name").WaitForAsync();
    }

    public static TheoryData<string, string> RefusedRequests() => new()
    {
        { "no code_challenge", $"redirect_uri={Uri.EscapeDataString(RedirectUri)}" },
        { "a plain code_challenge", $"redirect_uri={Uri.EscapeDataString(RedirectUri)}&code_challenge={new string('a', 43)}&code_challenge_method=plain" },
        { "a code_challenge with no method", $"redirect_uri={Uri.EscapeDataString(RedirectUri)}&code_challenge={new string('a', 43)}" },
        { "a redirect_uri not registered", $"redirect_uri={Uri.EscapeDataString(RedirectUri + "/elsewhere")}&{Challenge("verifier-verifier-verifier-verifier-verifier")}" },
    };

    [Theory]
    [MemberData(nameof(RefusedRequests))]
    public async Task An_authorization_request_without_S256_PKCE_or_to_an_unregistered_redirect_uri_is_refused_and_sent_nowhere(string what, string parameters)
    {
        using var identity = app.CreateClient("identity");
        using var response = await identity.GetAsync(
            new Uri($"/connect/authorize?client_id={ClientId}&response_type=code&scope=users.read&state=s&{parameters}", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        Assert.Null(response.Headers.Location);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static string NewVerifier() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Challenge(string verifier) =>
        $"code_challenge={Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))}&code_challenge_method=S256";

    private static Task<HttpResponseMessage> RedeemAsync(HttpClient identity, string code, string verifier, CancellationToken cancellationToken) =>
        identity.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ClientId,
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }), cancellationToken);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("error")] string? Error);

    private sealed record UserBody(string UserId, ProfileBody Profile);

    /// <summary>
    /// Debian's Chromium on the issuer's pages. Nothing listens at the client's URIs (127.0.0.1:8765):
    /// the browser's requests to them are answered here, and their URLs kept.
    /// </summary>
    private sealed class BrowserSignIn : IAsyncDisposable
    {
        private static readonly float PageTimeout = (float)TimeSpan.FromSeconds(30).TotalMilliseconds;

        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;
        private readonly Uri _identity;
        private TaskCompletionSource<string> _sentBack = NewArrival();

        private BrowserSignIn(IPlaywright playwright, IBrowser browser, IPage page, Uri identity)
        {
            _playwright = playwright;
            _browser = browser;
            Page = page;
            _identity = identity;
        }

        public IPage Page { get; }

        public static async Task<BrowserSignIn> OpenAsync(HttpClient identity)
        {
            var playwright = await Playwright.CreateAsync();
            var browser = await Chromium.LaunchAsync(playwright);
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(PageTimeout);
            var signIn = new BrowserSignIn(playwright, browser, page, identity.BaseAddress!);
            await page.RouteAsync("http://127.0.0.1:8765/**", async route =>
            {
                signIn._sentBack.TrySetResult(route.Request.Url);
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, Body = "back at the client" });
            });
            return signIn;
        }

        /// <summary>Opens the authorize URL for <c>local-tools</c> with <paramref name="challenge"/>.</summary>
        public async Task AuthorizeAsync(string challenge)
        {
            _sentBack = NewArrival();
            await Page.GotoAsync(new Uri(_identity,
                $"/connect/authorize?client_id={ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
                + $"&scope={Uri.EscapeDataString(Scopes)}&state=state-1&{challenge}").ToString());
        }

        /// <summary>
        /// Signs in on the page. Answers the URL the browser was sent back to (the redirect_uri, with
        /// the code), or null if the page was served again, saying the sign-in failed. Judged by the
        /// answer to this very form post, not by what the page showed before it.
        /// </summary>
        public async Task<string?> SubmitAsync(string user, string password, CancellationToken cancellationToken)
        {
            await Page.GetByLabel("User name").FillAsync(user);
            await Page.GetByLabel("Password").FillAsync(password);
            var answer = await Page.RunAndWaitForResponseAsync(
                () => Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync(),
                response => response.Request.Method == "POST" && new Uri(response.Url).AbsolutePath == "/account/signin");

            if (answer.Status == (int)HttpStatusCode.Redirect)
            {
                return await _sentBack.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            Assert.Contains("The user name or password is incorrect.", await answer.TextAsync(), StringComparison.Ordinal);
            await Page.WaitForLoadStateAsync();
            return null;
        }

        /// <summary>
        /// Signs out at /connect/endsession with the browser's cookies (its request context shares
        /// them); answers where the issuer sends the browser afterwards.
        /// </summary>
        public async Task<string?> SignOutAsync()
        {
            var response = await Page.Context.APIRequest.GetAsync(
                new Uri(_identity, $"/connect/endsession?client_id={ClientId}&post_logout_redirect_uri={Uri.EscapeDataString(PostLogoutRedirectUri)}").ToString(),
                new APIRequestContextOptions { MaxRedirects = 0 });
            Assert.Equal(302, response.Status);
            return response.Headers.GetValueOrDefault("location");
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }

        private static TaskCompletionSource<string> NewArrival() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
