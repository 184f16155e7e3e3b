using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;
using Aspire.Hosting.Testing;
using Microsoft.IdentityModel.Tokens;
using Tests.Integration;

namespace Tests.Sessions;

/// <summary>
/// A person's browser at the issuer, as plain HTTP: its own cookies, redirects followed by hand, the
/// anti-forgery token read from each form. Signs in to the public client <c>local-tools</c>, whose
/// redirect URI nothing listens at: the code or error is read from where the issuer sends it.
/// </summary>
internal sealed partial class PersonBrowser : IDisposable
{
    public const string ClientId = "local-tools";
    public const string CookieName = "identity.signin";
    private const string RedirectUri = "http://127.0.0.1:8765/callback";
    private const string PostLogoutRedirectUri = "http://127.0.0.1:8765/signed-out";
    private const string DefaultScope = "users.read";

    // Sign-in, authorize, then back: a few hops, never a loop.
    private const int MaxHops = 5;

    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _http;
    private readonly Uri _identity;

    public PersonBrowser(DistributedAppFixture app)
    {
        _identity = app.App.GetEndpoint("identity", "http");
        _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = _identity };
    }

    /// <summary>The session cookie as the browser holds it (what an attacker would copy).</summary>
    public Cookie SessionCookie => _cookies.GetCookies(_identity)[CookieName]
        ?? throw new InvalidOperationException("The browser holds no session cookie.");

    /// <summary>Puts a copied session cookie in this browser.</summary>
    public void Hold(Cookie cookie) => _cookies.Add(_identity, new Cookie(cookie.Name, cookie.Value, cookie.Path));

    /// <summary>Opens the authorize URL, signs in on the page it leads to, and answers the code it ends with.</summary>
    public async Task<string> SignInAsync(string user, string password, CancellationToken cancellationToken)
    {
        using var challenge = await _http.GetAsync(AuthorizeUri(prompt: null), cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var signInPage = challenge.Headers.Location!;
        Assert.Equal("/account/signin", new Uri(_identity, signInPage).AbsolutePath);

        using var signedIn = await PostFormAsync(signInPage, new() { ["UserName"] = user, ["Password"] = password }, cancellationToken);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"The sign-in of {user} was refused ({signedIn.StatusCode}).");
        return CodeOf(await FollowAsync(signedIn.Headers.Location!, cancellationToken));
    }

    /// <summary>/connect/authorize with prompt=none: what the issuer sends back to the client (the code, or the error).</summary>
    public async Task<(string? Code, string? Error)> AuthorizeSilentlyAsync(CancellationToken cancellationToken, string scope = DefaultScope)
    {
        var callback = HttpUtility.ParseQueryString(new Uri(await FollowAsync(AuthorizeUri("none", scope), cancellationToken)).Query);
        return (callback["code"], callback["error"]);
    }

    /// <summary>Signs out at /connect/endsession, as the client sends the person there.</summary>
    public async Task SignOutAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(
            $"/connect/endsession?client_id={ClientId}&post_logout_redirect_uri={Uri.EscapeDataString(PostLogoutRedirectUri)}", UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(PostLogoutRedirectUri, response.Headers.Location?.ToString());
    }

    /// <summary>Changes the password on /account/password; answers the page the issuer answered with.</summary>
    public async Task<string> ChangePasswordAsync(string current, string next, CancellationToken cancellationToken)
    {
        using var response = await PostFormAsync(new Uri("/account/password", UriKind.Relative),
            new() { ["CurrentPassword"] = current, ["NewPassword"] = next }, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Gets the form at <paramref name="page"/> and posts it back with its anti-forgery token.</summary>
    private async Task<HttpResponseMessage> PostFormAsync(Uri page, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var form = await _http.GetStringAsync(page, cancellationToken);
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiForgeryToken().Match(form) is { Success: true } match
            ? match.Groups["token"].Value
            : throw new InvalidOperationException($"The form at {page} carries no anti-forgery token."));
        using var content = new FormUrlEncodedContent(fields);
        return await _http.PostAsync(page, content, cancellationToken);
    }

    /// <summary>Follows the issuer's redirects until they leave it; answers where they lead.</summary>
    private async Task<string> FollowAsync(Uri uri, CancellationToken cancellationToken)
    {
        for (var hop = 0; hop < MaxHops; hop++)
        {
            using var response = await _http.GetAsync(uri, cancellationToken);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var next = new Uri(_identity, response.Headers.Location!);
            if (next.ToString().StartsWith(RedirectUri, StringComparison.Ordinal))
            {
                return next.ToString();
            }

            if (next.AbsolutePath == "/account/signin")
            {
                return $"{RedirectUri}?error=sign_in_asked";
            }

            uri = next;
        }

        throw new InvalidOperationException($"More than {MaxHops} redirects from {uri}.");
    }

    private static string CodeOf(string callback) =>
        HttpUtility.ParseQueryString(new Uri(callback).Query)["code"] ?? throw new InvalidOperationException($"No code: {callback}");

    private static Uri AuthorizeUri(string? prompt, string scope = DefaultScope)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return new Uri(
            $"/connect/authorize?client_id={ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
            + $"&scope={Uri.EscapeDataString(scope)}&state=s&code_challenge={challenge}&code_challenge_method=S256"
            + (prompt is null ? string.Empty : $"&prompt={prompt}"),
            UriKind.Relative);
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="(?<token>[^"]*)""")]
    private static partial Regex AntiForgeryToken();
}
