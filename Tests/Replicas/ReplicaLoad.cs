using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Tests.Integration;

namespace Tests.Replicas;

/// <summary>
/// Calls <c>GET /users/me</c> of one replica, at its own address (not through the proxy), from
/// <see cref="Workers"/> loops at once, each sending its next call as soon as its last is answered,
/// with the users' tokens in turn; checks every answer. Until the replica first answers, a refused
/// connection means it is not listening yet and is tried again; after that, anything but the
/// caller's own profile is a failure.
/// </summary>
public sealed class ReplicaLoad : IAsyncDisposable
{
    private const int KeptFailures = 5;
    private static readonly TimeSpan NotListeningRetry = TimeSpan.FromMilliseconds(20);

    private readonly HttpClient _http;
    private readonly IReadOnlyList<(string User, string Token)> _callers;
    private readonly CancellationTokenSource _stop;
    private readonly Task[] _workers;
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly long[] _answeredPerSecond = new long[600];
    private long _next;
    private long _answered;
    private long _failed;
    private long _refusedTokens;

    private ReplicaLoad(Uri address, IReadOnlyList<(string User, string Token)> callers, int workers, CancellationToken cancellationToken)
    {
        Workers = workers;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, UseProxy = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _callers = callers;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync, CancellationToken.None))];
    }

    public static ReplicaLoad Start(Uri address, IReadOnlyList<(string User, string Token)> callers, int workers, CancellationToken cancellationToken) =>
        new(address, callers, workers, cancellationToken);

    /// <summary>Calls in flight at once.</summary>
    public int Workers { get; }

    /// <summary>Correct answers so far.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Answers that were not the caller's own profile, and calls that failed after the replica first answered.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Of <see cref="Failed"/>: 401s, a valid token refused.</summary>
    public long RefusedTokens => Interlocked.Read(ref _refusedTokens);

    public IEnumerable<string> FailureSamples => _failures;

    /// <summary>Correct answers in the last whole second.</summary>
    public long AnsweredLastSecond
    {
        get
        {
            var second = (int)Stopwatch.GetElapsedTime(_started).TotalSeconds - 1;
            return second < 0 ? 0 : Interlocked.Read(ref _answeredPerSecond[Math.Min(second, _answeredPerSecond.Length - 1)]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var (user, token) = _callers[(int)(Interlocked.Increment(ref _next) % _callers.Count)];
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await _http.SendAsync(request, _stop.Token);
                if (response.StatusCode == HttpStatusCode.OK
                    && await response.Content.ReadFromJsonAsync<UserProfile>(_stop.Token) is { Profile.UserId: var owner } && owner == user)
                {
                    Interlocked.Increment(ref _answered);
                    Interlocked.Increment(ref _answeredPerSecond[Math.Min((int)Stopwatch.GetElapsedTime(_started).TotalSeconds, _answeredPerSecond.Length - 1)]);
                    continue;
                }

                Fail($"{(int)response.StatusCode} for {user}");
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    Interlocked.Increment(ref _refusedTokens);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException exception) when (IsNotListeningYet(exception))
            {
                await Task.Delay(NotListeningRetry, CancellationToken.None);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                Fail($"{exception.GetType().Name} for {user}: {exception.Message}");
            }
        }
    }

    private bool IsNotListeningYet(HttpRequestException exception) =>
        exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } && Answered == 0 && Failed == 0;

    private void Fail(string failure)
    {
        if (Interlocked.Increment(ref _failed) <= KeptFailures)
        {
            _failures.Enqueue(failure);
        }
    }
}
