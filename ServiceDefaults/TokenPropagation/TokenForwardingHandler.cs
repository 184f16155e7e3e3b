using System.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Sets <c>Authorization: Bearer</c> on each outgoing request to the token of the current flow
/// (<see cref="AccessTokenContext"/>). The handler is shared by many requests, so it reads the
/// token on every send and keeps none. An expired token is never sent.
/// </summary>
internal sealed class TokenForwardingHandler(
    string clientName,
    TokenForwardingOptions options,
    TimeSpan clockSkew,
    TimeProvider timeProvider) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = AccessTokenContext.Current;
        if (token is null)
        {
            if (options.RequireToken)
            {
                throw new MissingAccessTokenException(clientName);
            }
        }
        else
        {
            // The receiver allows the same skew when it validates, so it would still accept the token.
            if (timeProvider.GetUtcNow() > token.ExpiresAt + clockSkew)
            {
                throw new AccessTokenExpiredException(clientName, token.ExpiresAt);
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
