using System.Diagnostics.Metrics;

namespace JwtPropagation.Telemetry;

/// <summary>The token counters and the exchange latency histogram, in the <see cref="TokenTelemetry.SourceName"/> Meter.</summary>
internal sealed class TokenMetrics
{
    private readonly Counter<long> _outgoing;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _validationFailures;
    private readonly Counter<long> _staleRevocations;
    private readonly Histogram<double> _exchangeDuration;

    public TokenMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TokenTelemetry.SourceName);
        _outgoing = meter.CreateCounter<long>("token.outgoing_requests", "{request}",
            "Outgoing requests of token-carrying clients, by how the token went.");
        _cacheLookups = meter.CreateCounter<long>("token.exchange.cache_lookups", "{lookup}",
            "Lookups of exchanged tokens, by hit, miss or shared.");
        _validationFailures = meter.CreateCounter<long>("token.validation.failures", "{token}",
            "Incoming tokens refused, by reason.");
        _staleRevocations = meter.CreateCounter<long>("token.revocation_feed.stale", "{token}",
            "Incoming tokens judged while the revocation list was older than RevocationFeedMaxAge, by whether they were refused for it.");
        _exchangeDuration = meter.CreateHistogram<double>("token.exchange.duration", "s",
            "How long the issuer took to answer a token exchange, by result.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    public void Outgoing(string client, TokenOutcome outcome) =>
        _outgoing.Add(1, new("http.client.name", client), new(TokenTelemetry.Outcome, outcome.ToTagValue()));

    /// <param name="result">hit (a cached token), miss (the issuer is asked) or shared (another caller's exchange is awaited).</param>
    public void CacheLookup(string result) =>
        _cacheLookups.Add(1, new KeyValuePair<string, object?>(TokenTelemetry.ExchangeCache, result));

    public void ValidationFailed(string reason) =>
        _validationFailures.Add(1, new KeyValuePair<string, object?>(TokenTelemetry.FailureReason, reason));

    /// <param name="refused">Whether the token was refused for it (RevocationFeedFailClosed).</param>
    public void JudgedOnStaleRevocations(bool refused) =>
        _staleRevocations.Add(1, new KeyValuePair<string, object?>("token.refused", refused));

    public void Exchanged(TimeSpan duration, string result) =>
        _exchangeDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("token.exchange.result", result));
}
