using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Sets <c>Authorization: Bearer</c> on each outgoing request to the token that was validated for
/// the current incoming request. The handler is shared by many requests, so it reads the token
/// on every send and keeps none.
/// </summary>
internal sealed class TokenForwardingHandler(
    IHttpContextAccessor httpContextAccessor,
    string clientName,
    TokenForwardingOptions options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = httpContextAccessor.HttpContext?.Features.Get<AccessToken>();
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        }
        else if (options.RequireToken)
        {
            throw new MissingAccessTokenException(clientName);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
