using JwtPropagation.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace JwtPropagation.Outgoing;

/// <summary>
/// Sets <c>Authorization: Bearer</c> on each outgoing request: the token of the current flow
/// (<see cref="CallerTokenContext"/>), forwarded or exchanged for the destination's audience. The
/// handler is shared by many requests, so it reads the token on every send and keeps none. The
/// token goes only to the client's destination, never expired, never over plain http off the machine
/// unless the network is trusted. It runs once per call, in front of the resilience pipeline: an
/// exchange is not repeated, nor cut short, by the retries and timeouts meant for the destination.
/// </summary>
internal sealed partial class TokenPropagationHandler : DelegatingHandler
{
    private readonly string _clientName;
    private readonly TokenPropagationOptions _options;
    private readonly TokenDestination _destination;
    private readonly Func<ExchangedTokenCache> _exchangedTokens;
    private readonly ExchangeTarget? _exchangeTarget;
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _timeProvider;
    private readonly TokenMetrics _metrics;
    private readonly ILogger<TokenPropagationHandler> _logger;

    // What the client span is told for each outcome, made once rather than on every request.
    private readonly OutgoingPropagation[] _propagations;

    public TokenPropagationHandler(
        string clientName,
        TokenPropagationOptions options,
        TokenDestination destination,
        Func<ExchangedTokenCache> exchangedTokens,
        TimeSpan clockSkew,
        TimeProvider timeProvider,
        TokenMetrics metrics,
        ILogger<TokenPropagationHandler> logger)
    {
        _clientName = clientName;
        _options = options;
        _destination = destination;
        _exchangedTokens = exchangedTokens;
        _exchangeTarget = options.Mode == TokenPropagationMode.Exchange ? ExchangeTarget.Create(options.Audience!, options.Scopes) : null;
        _clockSkew = clockSkew;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _propagations = [.. Enum.GetValues<TokenOutcome>().Select(outcome => new OutgoingPropagation(outcome, options.Audience))];
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = CallerTokenContext.Current;
        if (token is null)
        {
            if (_options.RequireToken)
            {
                throw new MissingCallerTokenException(_clientName);
            }

            return await SendAsync(request, TokenOutcome.None, sentToken: null, cancellationToken);
        }

        // The receiver allows the same skew when it validates, so it would still accept the token.
        if (_timeProvider.GetUtcNow() > token.ExpiresAt + _clockSkew)
        {
            throw new CallerTokenExpiredException(_clientName, token.ExpiresAt);
        }

        var target = request.RequestUri!;
        switch (await _destination.CheckAsync(target, cancellationToken))
        {
            case TokenDestination.Verdict.NotTheDestination:
                var elsewhere = target.GetLeftPart(UriPartial.Authority);
                LogRefusedDestination(_clientName, elsewhere);
                if (_options.StrictDestination)
                {
                    _metrics.Outgoing(_clientName, TokenOutcome.Refused);
                    throw new TokenDestinationRefusedException(_clientName, $"{elsewhere} is not its destination.");
                }

                request.Headers.Authorization = null;
                return await SendAsync(request, TokenOutcome.Refused, sentToken: null, cancellationToken);

            case TokenDestination.Verdict.PlainHttpOffTheMachine:
                _metrics.Outgoing(_clientName, TokenOutcome.Refused);
                throw new TokenDestinationRefusedException(_clientName,
                    $"a token is not sent over plain http to {target.GetLeftPart(UriPartial.Authority)}, which is not loopback and not marked as a trusted internal network.");
        }

        if (_exchangeTarget is not null)
        {
            var exchanged = await _exchangedTokens().GetAsync(token, _exchangeTarget, cancellationToken);
            return await SendAsync(request, TokenOutcome.Exchanged, exchanged, cancellationToken);
        }

        // A delegation works only at the issuer, which knows the client it was issued to.
        if (token.IsDelegation)
        {
            _metrics.Outgoing(_clientName, TokenOutcome.Refused);
            throw new TokenDestinationRefusedException(_clientName,
                "a delegation is exchanged for an access token, never sent on: the client must exchange (Mode Exchange).");
        }

        return await SendAsync(request, TokenOutcome.Forwarded, token, cancellationToken);
    }

    /// <summary>
    /// Refused: <c>HttpClient.Send</c> would reach the network through this handler's base class,
    /// with no token attached and none of the checks above (destination, expiry, a token required);
    /// doing them here would block a thread on service discovery and the exchange.
    /// </summary>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException(
            $"HttpClient '{_clientName}' carries access tokens and sends asynchronously only: call SendAsync (GetAsync, ...), not Send.");

    private Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, TokenOutcome outcome, CallerToken? sentToken, CancellationToken cancellationToken)
    {
        if (sentToken is not null)
        {
            // The header value is made once per token, not on every request; it was checked when the token was.
            request.Headers.Authorization = null;
            request.Headers.TryAddWithoutValidation(HeaderNames.Authorization, sentToken.AuthorizationHeaderValue);
            request.Options.Set(TokenTelemetry.SentTokenKey, sentToken);
        }

        _metrics.Outgoing(_clientName, outcome);
        request.Options.Set(TokenTelemetry.OutgoingPropagationKey, _propagations[(int)outcome]);
        return base.SendAsync(request, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "HttpClient '{ClientName}' sent a request to {Authority} without the token: it is not the client's destination")]
    private partial void LogRefusedDestination(string clientName, string authority);
}
