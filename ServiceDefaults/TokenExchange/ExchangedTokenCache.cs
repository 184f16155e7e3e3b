using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Exchanged tokens, reused until shortly before they (or the caller's token) expire. Keyed by the
/// SHA-256 of the caller's token with the audience and scopes, so only the same token gets the same
/// exchanged token; bounded in size; concurrent requests for one key share a single exchange.
/// </summary>
internal sealed class ExchangedTokenCache(
    TokenExchangeClient exchangeClient,
    IOptions<TokenExchangeOptions> options,
    TokenMetrics metrics,
    TimeProvider timeProvider) : IDisposable
{
    // An exchange is shared by every caller waiting for it, so no single caller's cancellation ends it.
    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(30);

    private readonly MemoryCache _tokens = new(new MemoryCacheOptions { SizeLimit = options.Value.CacheSize });
    private readonly ConcurrentDictionary<CacheKey, Lazy<Task<AccessToken>>> _exchanges = new();

    public async Task<AccessToken> GetAsync(
        AccessToken subjectToken, string audience, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        using var activity = TokenTelemetry.ActivitySource.StartActivity("token exchange");
        activity?.SetTag(TokenTelemetry.Audience, audience);
        activity?.SetTag(TokenTelemetry.Fingerprint, subjectToken.Fingerprint);

        var key = new CacheKey(Convert.ToHexString(subjectToken.Hash), audience, string.Join(' ', scopes));
        if (_tokens.TryGetValue(key, out AccessToken? cached) && cached is not null)
        {
            Lookup(activity, "hit");
            return cached;
        }

        var started = false;
        var exchange = _exchanges.GetOrAdd(key, _ => new Lazy<Task<AccessToken>>(() =>
        {
            started = true;
            return ExchangeAsync(key, subjectToken, audience, scopes, activity);
        }));
        var task = exchange.Value;

        // A caller that found another's exchange under way waits for it: a "shared" lookup.
        Lookup(activity, started ? "miss" : "shared");
        return await task.WaitAsync(cancellationToken);
    }

    public void Dispose() => _tokens.Dispose();

    private void Lookup(Activity? activity, string result)
    {
        activity?.SetTag(TokenTelemetry.ExchangeCache, result);
        metrics.CacheLookup(result);
    }

    private async Task<AccessToken> ExchangeAsync(
        CacheKey key, AccessToken subjectToken, string audience, IReadOnlyList<string> scopes, Activity? activity)
    {
        var startedAt = timeProvider.GetTimestamp();
        var result = "issued";
        try
        {
            using var timeout = new CancellationTokenSource(ExchangeTimeout, timeProvider);
            var exchanged = await exchangeClient.ExchangeAsync(subjectToken, audience, scopes, timeout.Token);

            // Never reused past the caller's own token, whatever the issuer answered.
            var reusableUntil = Min(exchanged.ExpiresAt, subjectToken.ExpiresAt) - options.Value.RefreshBeforeExpiry;
            if (reusableUntil > timeProvider.GetUtcNow())
            {
                _tokens.Set(key, exchanged, new MemoryCacheEntryOptions { AbsoluteExpiration = reusableUntil, Size = 1 });
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

    private static DateTimeOffset Min(DateTimeOffset first, DateTimeOffset second) => first < second ? first : second;

    private sealed record CacheKey(string SubjectTokenHash, string Audience, string Scopes);
}
