using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Web;
using Aspire.Hosting.Testing;
using Microsoft.IdentityModel.Tokens;
using Tests.Integration;

namespace Tests.SignIn;

/// <summary>
/// A person at the issuer without a browser: the sign-in form (with its anti-forgery token and
/// cookies) and the authorization code flow with PKCE, redirects followed by hand up to the
/// client's redirect_uri, which is never called. Behind an https ingress it says so on every
/// request (<c>X-Forwarded-Proto: https</c>) and keeps the cookies an https site sets.
/// </summary>
public sealed partial class FormSignIn : IDisposable
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private readonly bool _behindHttpsIngress;

    public FormSignIn(DistributedAppFixture app, bool behindHttpsIngress = false)
    {
        _behindHttpsIngress = behindHttpsIngress;
        _http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = app.App.GetEndpoint("identity", "http"),
        };
    }

    public const string SignInRefused = "The user name or password is incorrect.";

    /// <summary>Posts the sign-in form, fetched first for its anti-forgery token; answers the post's response.</summary>
    /// <param name="withAntiforgery">false: the form goes without its anti-forgery token, as a forged cross-site post would.</param>
    public async Task<HttpResponseMessage> PostSignInAsync(
        string userName, string password, string signInPath, CancellationToken cancellationToken, bool withAntiforgery = true)
    {
        using var form = await SendAsync(HttpMethod.Get, signInPath, null, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var page = await form.Content.ReadAsStringAsync(cancellationToken);
        var antiforgery = AntiforgeryField().Match(page);
        Assert.True(antiforgery.Success, "The sign-in page carries no anti-forgery token.");

        var returnUrl = HttpUtility.ParseQueryString(new Uri(_http.BaseAddress!, signInPath).Query)["ReturnUrl"] ?? string.Empty;
        var fields = new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["ReturnUrl"] = returnUrl,
        };
        if (withAntiforgery)
        {
            fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery.Groups[1].Value);
        }

        return await SendAsync(HttpMethod.Post, signInPath, new FormUrlEncodedContent(fields), cancellationToken);
    }

    /// <summary>
    /// Asks /connect/authorize for a code for <paramref name="clientId"/>, signing in as
    /// <paramref name="userName"/> on the way; answers what the issuer sent to the redirect_uri
    /// (code or error) and the PKCE verifier to redeem the code with.
    /// </summary>
    public async Task<(string? Code, string? Error, string Verifier)> AuthorizeAsync(
        string clientId, string redirectUri, string scopes, string userName, string password, CancellationToken cancellationToken)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = $"/connect/authorize?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(redirectUri)}"
            + $"&scope={Uri.EscapeDataString(scopes)}&state=s&code_challenge={challenge}&code_challenge_method=S256";

        using var toSignIn = await SendAsync(HttpMethod.Get, authorize, null, cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        using var signedIn = await PostSignInAsync(userName, password, toSignIn.Headers.Location!.PathAndQuery, cancellationToken);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"The sign-in of {userName} was refused: {signedIn.StatusCode}");

        using var back = await SendAsync(HttpMethod.Get, signedIn.Headers.Location!.OriginalString, null, cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var location = back.Headers.Location!.ToString();
        Assert.StartsWith(redirectUri + "?", location, StringComparison.Ordinal);
        var answer = HttpUtility.ParseQueryString(new Uri(location).Query);
        return (answer["code"], answer["error"], verifier);
    }

    /// <summary>Redeems a code at the token endpoint, as the public client <paramref name="clientId"/>.</summary>
    public Task<TokenAnswer> RedeemAsync(string clientId, string redirectUri, string code, string verifier, CancellationToken cancellationToken) =>
        RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        }, cancellationToken);

    /// <summary>The Development password grant, as the public client dev-cli.</summary>
    public Task<TokenAnswer> PasswordGrantAsync(string userName, string password, string scopes, CancellationToken cancellationToken) =>
        RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "dev-cli",
            ["username"] = userName,
            ["password"] = password,
            ["scope"] = scopes,
        }, cancellationToken);

    public Task<TokenAnswer> RefreshAsync(string clientId, string refreshToken, CancellationToken cancellationToken) =>
        RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = clientId,
            ["refresh_token"] = refreshToken,
        }, cancellationToken);

    /// <summary>A request to the issuer with <paramref name="accessToken"/>, through the same ingress.</summary>
    public Task<HttpResponseMessage> GetWithTokenAsync(string path, string accessToken, CancellationToken cancellationToken)
    {
        var request = NewRequest(HttpMethod.Get, path, null);
        request.Headers.Authorization = new("Bearer", accessToken);
        return SendAsync(request, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<TokenAnswer> RequestTokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "/connect/token", new FormUrlEncodedContent(form), cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(cancellationToken);
        return answer! with { Status = response.StatusCode };
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync(NewRequest(method, path, content), cancellationToken);

    private HttpRequestMessage NewRequest(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (_behindHttpsIngress)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(cookie => $"{cookie.Key}={cookie.Value}")));
            }

            var response = await _http.SendAsync(request, cancellationToken);
            KeepCookies(response);
            return response;
        }
    }

    // Secure cookies are kept too: the ingress, not this connection, is https.
    private void KeepCookies(HttpResponseMessage response)
    {
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = header.Split(';', 2)[0].Split('=', 2);
            if (pair.Length == 2 && pair[1].Length > 0 && !header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                _cookies[pair[0]] = pair[1];
            }
            else
            {
                _cookies.Remove(pair[0]);
            }
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("error")] string? Error)
    {
        public HttpStatusCode Status { get; init; }
    }
}
