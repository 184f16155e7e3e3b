using JwtPropagation.Telemetry;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace JwtPropagation.Outgoing;

/// <summary>
/// Exchanged tokens, reused until shortly before they (or the caller's token) expire. Keyed by the
/// whole caller's token, per audience and scopes, so only the same token gets the same exchanged
/// token; bounded in size; concurrent requests for one key share a single exchange. A hit costs a
/// lookup and nothing else: no span, no allocation.
/// </summary>
internal sealed class ExchangedTokenCache(
    TokenExchangeClient exchangeClient,
    IOptions<TokenExchangeOptions> options,
    TokenMetrics metrics,
    TimeProvider timeProvider) : IDisposable
{
    // An exchange is shared by every caller waiting for it, so no single caller's cancellation ends it.
    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<ExchangeTarget, MemoryCache> _tokens = new();
    private readonly ConcurrentDictionary<(ExchangeTarget Target, string SubjectToken), Lazy<Task<CallerToken>>> _exchanges = new();

    public ValueTask<CallerToken> GetAsync(CallerToken subjectToken, ExchangeTarget target, CancellationToken cancellationToken)
    {
        var tokens = TokensFor(target);
        if (tokens.TryGetValue(subjectToken.Value, out CallerToken? cached) && cached is not null)
        {
            metrics.CacheLookup("hit");
            return ValueTask.FromResult(cached);
        }

        return new ValueTask<CallerToken>(ExchangeOnceAsync(subjectToken, target, tokens, cancellationToken));
    }

    public void Dispose()
    {
        foreach (var tokens in _tokens.Values)
        {
            tokens.Dispose();
        }
    }

    private MemoryCache TokensFor(ExchangeTarget target) =>
        _tokens.GetOrAdd(target, static (_, size) => new MemoryCache(new MemoryCacheOptions { SizeLimit = size }), options.Value.CacheSize);

    /// <summary>Exchanges the token, or waits for the exchange another caller already started for it.</summary>
    private async Task<CallerToken> ExchangeOnceAsync(
        CallerToken subjectToken, ExchangeTarget target, MemoryCache tokens, CancellationToken cancellationToken)
    {
        using var activity = TokenTelemetry.ActivitySource.StartActivity("token exchange");
        activity?.SetTag(TokenTelemetry.Audience, target.Audience);
        activity?.SetTag(TokenTelemetry.Fingerprint, subjectToken.Fingerprint);

        var started = false;
        var key = (target, subjectToken.Value);
        var exchange = _exchanges.GetOrAdd(key, _ => new Lazy<Task<CallerToken>>(() =>
        {
            started = true;
            return ExchangeAsync(key, subjectToken, tokens, activity);
        }));
        var task = exchange.Value;

        // A caller that found another's exchange under way waits for it: a "shared" lookup.
        var result = started ? "miss" : "shared";
        activity?.SetTag(TokenTelemetry.ExchangeCache, result);
        metrics.CacheLookup(result);
        return await task.WaitAsync(cancellationToken);
    }

    private async Task<CallerToken> ExchangeAsync(
        (ExchangeTarget Target, string SubjectToken) key, CallerToken subjectToken, MemoryCache tokens, Activity? activity)
    {
        var startedAt = timeProvider.GetTimestamp();
        var result = "unavailable";
        try
        {
            var exchanged = await ExchangeWithinTimeoutAsync(subjectToken, key.Target);
            result = "issued";

            // Never reused past the caller's own token, whatever the issuer answered.
            var reusableUntil = Min(exchanged.ExpiresAt, subjectToken.ExpiresAt) - options.Value.RefreshBeforeExpiry;
            if (reusableUntil > timeProvider.GetUtcNow())
            {
                tokens.Set(subjectToken.Value, exchanged, new MemoryCacheEntryOptions { AbsoluteExpiration = reusableUntil, Size = 1 });
            }

            return exchanged;
        }
        catch (TokenExchangeException exception)
        {
            result = exception.IssuerUnavailable ? "unavailable" : "refused";
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        finally
        {
            var duration = timeProvider.GetElapsedTime(startedAt);
            activity?.SetTag(TokenTelemetry.IssuerDuration, duration.TotalSeconds);
            metrics.Exchanged(duration, result);
            _exchanges.TryRemove(key, out _);
        }
    }

    /// <summary>An issuer that does not answer within <see cref="ExchangeTimeout"/> is unavailable.</summary>
    private async Task<CallerToken> ExchangeWithinTimeoutAsync(CallerToken subjectToken, ExchangeTarget target)
    {
        using var timeout = new CancellationTokenSource(ExchangeTimeout, timeProvider);
        try
        {
            return await exchangeClient.ExchangeAsync(subjectToken, target, timeout.Token);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested)
        {
            throw TokenExchangeException.Unavailable(exception);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset first, DateTimeOffset second) => first < second ? first : second;
}
