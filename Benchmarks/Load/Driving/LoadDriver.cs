using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;

namespace Benchmarks.Load.Driving;

/// <summary>
/// Drives <c>GET /users/me</c> of one chain with a fixed number of workers on as many pooled
/// connections, each sending its next request as soon as its last is answered, and checks every
/// answer. Kept lean, and the same for every chain, so it takes the same share of the CPU from each.
/// </summary>
internal sealed class LoadDriver : ILoadClient, IDisposable
{
    private const int KeptFailures = 5;

    // A ceiling far above what two cores serve, so a loop of instant failures still ends.
    private const long MaxRequestsPerSecond = 100_000;

    private readonly HttpClient _http;
    private readonly int _concurrency;

    public LoadDriver(int concurrency)
    {
        _concurrency = concurrency;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    public string Name => "the harness's own .NET driver (HttpClient)";

    public async Task<PhaseResult> RunAsync(Uri target, ICallerSource callers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var phase = new Phase(target, callers, duration);
        var workers = Enumerable.Range(0, _concurrency)
            .Select(_ => Task.Run(() => WorkAsync(phase, cancellationToken), cancellationToken));
        var latencies = await Task.WhenAll(workers);

        return new PhaseResult(
            phase.Served,
            phase.Failed,
            Stopwatch.GetElapsedTime(phase.Started),
            [.. latencies.SelectMany(worker => worker)],
            phase.ServedPerSecond,
            [.. phase.Failures]);
    }

    public void Dispose() => _http.Dispose();

    private async Task<List<long>> WorkAsync(Phase phase, CancellationToken cancellationToken)
    {
        var latencies = new List<long>(capacity: 4096);
        while (phase.TryNext(out var caller))
        {
            var sent = Stopwatch.GetTimestamp();
            var failure = await SendAsync(phase.Target, caller, cancellationToken);
            var answered = Stopwatch.GetTimestamp();

            if (failure is null)
            {
                latencies.Add(answered - sent);
                phase.CountServed(answered);
            }
            else
            {
                phase.CountFailed(failure);
            }
        }

        return latencies;
    }

    /// <summary>Null when the answer is 200 and the caller's own; else what was wrong.</summary>
    private async Task<string?> SendAsync(Uri target, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            foreach (var (name, value) in caller.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"{(int)response.StatusCode} for {caller}: {Excerpt(body)}";
            }

            return AnswerCheck.IsFor(body, caller.UserId) ? null : $"not {caller}'s answer: {Excerpt(body)}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"{exception.GetType().Name} for {caller}: {exception.Message}";
        }
    }

    private static string Excerpt(byte[] body) => Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));

    /// <summary>One phase's shared counters: bounded in time and in count.</summary>
    private sealed class Phase(Uri target, ICallerSource callers, TimeSpan duration)
    {
        private readonly long _deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        private readonly long _maxRequests = (long)Math.Ceiling(duration.TotalSeconds * MaxRequestsPerSecond);
        private readonly ConcurrentQueue<string> _failures = new();
        private long _issued;
        private long _served;
        private long _failed;

        public Uri Target { get; } = target;

        public long Started { get; } = Stopwatch.GetTimestamp();

        // One slot more for answers that arrive after the deadline.
        public long[] ServedPerSecond { get; } = new long[(int)Math.Ceiling(duration.TotalSeconds) + 1];

        public long Served => Interlocked.Read(ref _served);

        public long Failed => Interlocked.Read(ref _failed);

        public IEnumerable<string> Failures => _failures;

        public bool TryNext([NotNullWhen(true)] out Caller? caller)
        {
            caller = null;
            var sequence = Interlocked.Increment(ref _issued) - 1;
            return sequence < _maxRequests
                && Stopwatch.GetTimestamp() < _deadline
                && callers.TryGet(sequence, out caller);
        }

        public void CountServed(long answered)
        {
            Interlocked.Increment(ref _served);
            var second = (int)((answered - Started) / Stopwatch.Frequency);
            Interlocked.Increment(ref ServedPerSecond[Math.Min(second, ServedPerSecond.Length - 1)]);
        }

        public void CountFailed(string failure)
        {
            if (Interlocked.Increment(ref _failed) <= KeptFailures)
            {
                _failures.Enqueue(failure);
            }
        }
    }
}
