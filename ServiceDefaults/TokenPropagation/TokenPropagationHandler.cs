using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Sets <c>Authorization: Bearer</c> on each outgoing request: the token of the current flow
/// (<see cref="AccessTokenContext"/>), forwarded or exchanged for the destination's audience. The
/// handler is shared by many requests, so it reads the token on every send and keeps none. The
/// token goes only to the client's destination, never expired, never over plain http off the machine
/// unless the network is trusted. It runs once per call, in front of the resilience pipeline: an
/// exchange is not repeated, nor cut short, by the retries and timeouts meant for the destination.
/// </summary>
internal sealed partial class TokenPropagationHandler(
    string clientName,
    TokenPropagationOptions options,
    TokenDestination destination,
    Func<ExchangedTokenCache> exchangedTokens,
    TimeSpan clockSkew,
    TimeProvider timeProvider,
    TokenMetrics metrics,
    ILogger<TokenPropagationHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = AccessTokenContext.Current;
        if (token is null)
        {
            if (options.RequireToken)
            {
                throw new MissingAccessTokenException(clientName);
            }

            return await SendAsync(request, TokenOutcome.None, sentToken: null, cancellationToken);
        }

        // The receiver allows the same skew when it validates, so it would still accept the token.
        if (timeProvider.GetUtcNow() > token.ExpiresAt + clockSkew)
        {
            throw new AccessTokenExpiredException(clientName, token.ExpiresAt);
        }

        var target = request.RequestUri!;
        var authority = target.GetLeftPart(UriPartial.Authority);
        switch (await destination.CheckAsync(target, cancellationToken))
        {
            case TokenDestination.Verdict.NotTheDestination:
                LogRefusedDestination(clientName, authority);
                if (options.StrictDestination)
                {
                    metrics.Outgoing(clientName, TokenOutcome.Refused);
                    throw new TokenDestinationRefusedException(clientName, $"{authority} is not its destination.");
                }

                request.Headers.Authorization = null;
                return await SendAsync(request, TokenOutcome.Refused, sentToken: null, cancellationToken);

            case TokenDestination.Verdict.PlainHttpOffTheMachine:
                metrics.Outgoing(clientName, TokenOutcome.Refused);
                throw new TokenDestinationRefusedException(clientName,
                    $"a token is not sent over plain http to {authority}, which is not loopback and not marked as a trusted internal network.");
        }

        if (options.Mode == TokenPropagationMode.Exchange)
        {
            var exchanged = await exchangedTokens().GetAsync(token, options.Audience!, options.Scopes, cancellationToken);
            return await SendAsync(request, TokenOutcome.Exchanged, exchanged, cancellationToken);
        }

        return await SendAsync(request, TokenOutcome.Forwarded, token, cancellationToken);
    }

    private Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, TokenOutcome outcome, AccessToken? sentToken, CancellationToken cancellationToken)
    {
        if (sentToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sentToken.Value);
        }

        metrics.Outgoing(clientName, outcome);
        request.Options.Set(TokenTelemetry.OutgoingTokenKey, new OutgoingToken(outcome, options.Audience, sentToken?.Fingerprint));
        return base.SendAsync(request, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "HttpClient '{ClientName}' sent a request to {Authority} without the token: it is not the client's destination")]
    private partial void LogRefusedDestination(string clientName, string authority);
}
