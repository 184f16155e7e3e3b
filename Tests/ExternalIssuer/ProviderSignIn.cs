using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;

namespace Tests.ExternalIssuer;

/// <summary>
/// Gets a user's access token from oidc-provider the way a browser and a client would: the
/// authorization code flow with PKCE (S256) and a resource indicator, through the provider's own
/// development sign-in and consent pages (devInteractions: any password is accepted), then the code
/// redeemed at its token endpoint. Nothing of the provider is bypassed: the token is one it issued.
/// </summary>
internal static partial class ProviderSignIn
{
    // The provider's pages are its own routes: sign-in, then consent, then back to the client.
    private const int MostSteps = 10;

    public static async Task<string> GetAccessTokenAsync(string issuer, string user, string resource, string scope, CancellationToken cancellationToken)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var endpoints = await browser.GetFromJsonAsync<Endpoints>(new Uri($"{issuer}/.well-known/openid-configuration"), cancellationToken)
            ?? throw new InvalidOperationException("The provider has no discovery document.");

        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var state = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var authorize = new Uri($"{endpoints.AuthorizationEndpoint}?" + Query(new Dictionary<string, string>
        {
            ["client_id"] = ExternalIssuerApp.ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = ExternalIssuerApp.RedirectUri,
            ["scope"] = scope,
            ["resource"] = resource,
            ["state"] = state,
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        }));

        var code = await FollowToCodeAsync(browser, authorize, user, state, cancellationToken);

        using var tokenResponse = await browser.PostAsync(endpoints.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ExternalIssuerApp.ClientId,
            ["code"] = code,
            ["redirect_uri"] = ExternalIssuerApp.RedirectUri,
            ["code_verifier"] = verifier,
            ["resource"] = resource,
        }), cancellationToken);
        var body = await tokenResponse.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(tokenResponse.IsSuccessStatusCode, $"The provider's token endpoint answered {(int)tokenResponse.StatusCode}: {body}");
        return (await tokenResponse.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))?.AccessToken
            ?? throw new InvalidOperationException("The token response held no access token.");
    }

    /// <summary>Follows the provider's redirects, submitting each page's form, until it sends the browser back to the client with a code.</summary>
    private static async Task<string> FollowToCodeAsync(HttpClient browser, Uri location, string user, string state, CancellationToken cancellationToken)
    {
        for (var step = 0; step < MostSteps; step++)
        {
            if (location.GetLeftPart(UriPartial.Path) == ExternalIssuerApp.RedirectUri)
            {
                var answer = System.Web.HttpUtility.ParseQueryString(location.Query);
                Assert.Equal(state, answer["state"]);
                return answer["code"] ?? throw new InvalidOperationException($"The provider sent the browser back without a code: {location.Query}");
            }

            using var response = await browser.GetAsync(location, cancellationToken);
            location = response.StatusCode == HttpStatusCode.OK
                ? await SubmitAsync(browser, await response.Content.ReadAsStringAsync(cancellationToken), user, cancellationToken)
                : Redirect(response);
        }

        throw new InvalidOperationException($"The provider did not send the browser back to the client within {MostSteps} steps.");
    }

    /// <summary>Submits a sign-in page as <paramref name="user"/>, or a consent page as given; answers where the provider sends the browser next.</summary>
    private static async Task<Uri> SubmitAsync(HttpClient browser, string page, string user, CancellationToken cancellationToken)
    {
        var prompt = Prompt().Match(page) is { Success: true } match ? match.Groups["prompt"].Value
            : throw new InvalidOperationException("The provider showed a page that is neither sign-in nor consent.");
        var action = new Uri(WebUtility.HtmlDecode(FormAction().Match(page).Groups["action"].Value));
        var fields = prompt == "login"
            ? new Dictionary<string, string> { ["prompt"] = prompt, ["login"] = user, ["password"] = "any" }
            : new Dictionary<string, string> { ["prompt"] = prompt };

        using var response = await browser.PostAsync(action, new FormUrlEncodedContent(fields), cancellationToken);
        return Redirect(response);
    }

    private static Uri Redirect(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther, $"Expected a redirect, got {(int)response.StatusCode}.");
        var location = response.Headers.Location ?? throw new InvalidOperationException("A redirect without a Location.");
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private static string Query(Dictionary<string, string> parameters) =>
        string.Join('&', parameters.Select(parameter => $"{parameter.Key}={Uri.EscapeDataString(parameter.Value)}"));

    [GeneratedRegex("name=\"prompt\" value=\"(?<prompt>login|consent)\"")]
    private static partial Regex Prompt();

    [GeneratedRegex("<form[^>]*\\saction=\"(?<action>[^\"]+)\"")]
    private static partial Regex FormAction();

    private sealed record Endpoints(
        [property: JsonPropertyName("authorization_endpoint")] Uri AuthorizationEndpoint,
        [property: JsonPropertyName("token_endpoint")] Uri TokenEndpoint);

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string? AccessToken);
}
