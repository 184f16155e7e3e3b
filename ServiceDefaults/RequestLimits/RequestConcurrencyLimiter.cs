using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The permits requests are worked on with (<see cref="RequestConcurrencyOptions"/>), handed out in
/// arrival order, and how long the request waiting longest has waited for one: what tells whether
/// the service still serves in time.
/// </summary>
internal sealed class RequestConcurrencyLimiter(IOptions<RequestConcurrencyOptions> options, TimeProvider timeProvider) : IDisposable
{
    private readonly ConcurrencyLimiter _permits = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.PermitLimit,
        QueueLimit = options.Value.QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    // When each request now waiting began to wait (TimeProvider timestamps), by a number of its own.
    private readonly ConcurrentDictionary<long, long> _waitingSince = new();
    private long _lastWaiter;

    /// <summary>A permit, at once or in turn; a lease that is not acquired when the queue is full.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken)
    {
        var lease = _permits.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        var waiter = Interlocked.Increment(ref _lastWaiter);
        _waitingSince[waiter] = timeProvider.GetTimestamp();
        try
        {
            return await _permits.AcquireAsync(permitCount: 1, cancellationToken);
        }
        finally
        {
            _waitingSince.TryRemove(waiter, out _);
        }
    }

    /// <summary>Permits free and requests waiting, now.</summary>
    public RateLimiterStatistics Statistics => _permits.GetStatistics()!;

    /// <summary>How long the request that has waited longest so far has been waiting; zero when none waits.</summary>
    public TimeSpan LongestWait
    {
        get
        {
            var now = timeProvider.GetTimestamp();
            return timeProvider.GetElapsedTime(_waitingSince.Values.DefaultIfEmpty(now).Min(), now);
        }
    }

    public void Dispose() => _permits.Dispose();
}
