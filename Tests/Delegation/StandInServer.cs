using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Tests.Delegation;

/// <summary>
/// Stands in, in this process, for a server the client under test calls (the issuer, or a
/// client's destination): records each request it is sent, its form read before the caller
/// disposes of it, and answers as <paramref name="answer"/> says.
/// </summary>
internal sealed class StandInServer(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public ConcurrentQueue<SentRequest> Requests { get; } = new();

    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    public const string RefreshTokenType = "urn:ietf:params:oauth:token-type:refresh_token";

    /// <summary>
    /// An issuer's token exchange answer (RFC 8693 section 2.2.1): <paramref name="token"/>, of
    /// <paramref name="issuedTokenType"/>, living <paramref name="expiresIn"/> seconds.
    /// </summary>
    public static HttpResponseMessage TokenResponse(string token, int expiresIn, string issuedTokenType = AccessTokenType) =>
        Json(HttpStatusCode.OK, $$"""{"access_token":"{{token}}","issued_token_type":"{{issuedTokenType}}","token_type":"Bearer","expires_in":{{expiresIn}}}""");

    /// <summary>An OAuth error answer (RFC 6749 section 5.2).</summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string error) =>
        Json(status, $$"""{"error":"{{error}}"}""");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var form = request.Content is FormUrlEncodedContent content
            ? ParseForm(await content.ReadAsStringAsync(cancellationToken))
            : new Dictionary<string, string>();
        Requests.Enqueue(new SentRequest(request.Method, request.RequestUri!, request.Headers.Authorization, form));
        var response = answer(request);
        response.RequestMessage = request;
        return response;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static Dictionary<string, string> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(
                pair => WebUtility.UrlDecode(pair[0]),
                pair => WebUtility.UrlDecode(pair.Length > 1 ? pair[1] : ""));
}

/// <param name="Authorization">The Authorization header as it left the client.</param>
/// <param name="Form">The form fields of a form-encoded body; empty for any other.</param>
internal sealed record SentRequest(HttpMethod Method, Uri Uri, AuthenticationHeaderValue? Authorization, IReadOnlyDictionary<string, string> Form)
{
    /// <summary>The client id and secret of a Basic Authorization header, decoded as RFC 6749 section 2.3.1 has them encoded.</summary>
    public (string ClientId, string ClientSecret)? BasicCredentials
    {
        get
        {
            if (Authorization is not { Scheme: "Basic", Parameter: { } parameter })
            {
                return null;
            }

            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(parameter)).Split(':', 2);
            return (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]));
        }
    }
}
