using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace JwtPropagation;

/// <summary>
/// Tells an issuer that is gone from one that is busy, so an exchange can wait for the one and give
/// up on the other at once. An exchange that has had no answer for
/// <see cref="TokenExchangeOptions.IssuerAnswerWait"/> asks whether the issuer answers anything:
/// it does if it answered any request (any status) during the last such wait, or else a probe of
/// <see cref="TokenExchangeOptions.IssuerProbePath"/>, on a connection of its own, gets any answer
/// within <see cref="TokenExchangeOptions.IssuerProbeTimeout"/>. A stopped issuer, a refused
/// connection and a proxy that holds the connection open all fail the probe; an issuer slow under
/// a burst still answers it (health probes skip its request queue), and the exchange waits on,
/// within its resilience budget (<see cref="IssuerResilience"/>). The waiting exchanges share one
/// probe at a time.
/// </summary>
internal sealed partial class IssuerLiveness(
    IHttpClientFactory httpClientFactory,
    IOptions<TokenExchangeOptions> options,
    TimeProvider timeProvider,
    ILogger<IssuerLiveness> logger)
{
    public const string HttpClientName = "token-exchange-probe";

    private readonly Lock _lock = new();
    private Task<bool> _probe = Task.FromResult(true);
    private long _probeStartedAt;
    private long _lastAnswerAt;

    /// <summary>
    /// Sends <paramref name="request"/> and, while no answer has come, asks after every
    /// <see cref="TokenExchangeOptions.IssuerAnswerWait"/> whether the issuer answers at all.
    /// </summary>
    /// <exception cref="TimeoutException">The issuer answers nothing: the request was abandoned.</exception>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var send = client.SendAsync(request, abandon.Token);
        while (await Task.WhenAny(send, Task.Delay(settings.IssuerAnswerWait, timeProvider, abandon.Token)) != send)
        {
            if (!await IsAnsweringAsync(request.RequestUri!, cancellationToken))
            {
                await abandon.CancelAsync();
                await send.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw new TimeoutException(
                    $"The issuer at {request.RequestUri!.GetLeftPart(UriPartial.Authority)} answered neither the exchange " +
                    $"nor a probe of {settings.IssuerProbePath} within {settings.IssuerProbeTimeout.TotalSeconds:0.#} s.");
            }
        }

        var response = await send;
        Answered();
        await abandon.CancelAsync(); // the last wait's timer
        return response;
    }

    private void Answered() => Volatile.Write(ref _lastAnswerAt, timeProvider.GetTimestamp());

    private async Task<bool> IsAnsweringAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var wait = options.Value.IssuerAnswerWait;
        if (timeProvider.GetElapsedTime(Volatile.Read(ref _lastAnswerAt)) < wait)
        {
            return true;
        }

        Task<bool> probe;
        lock (_lock)
        {
            // One probe at a time, and its verdict stands for one wait: not a probe per exchange.
            if (_probe.IsCompleted && timeProvider.GetElapsedTime(_probeStartedAt) >= wait)
            {
                _probeStartedAt = timeProvider.GetTimestamp();
                _probe = ProbeAsync(new Uri(endpoint, options.Value.IssuerProbePath));
            }

            probe = _probe;
        }

        return await probe.WaitAsync(cancellationToken);
    }

    // Task.Run: never completes inline, so it can be started under the lock.
    private Task<bool> ProbeAsync(Uri address) => Task.Run(async () =>
    {
        // Started by whichever exchange asked first: it belongs to none of their traces.
        using var untraced = SuppressInstrumentationScope.Begin();
        using var timeout = new CancellationTokenSource(options.Value.IssuerProbeTimeout, timeProvider);
        try
        {
            // Any status will do: whatever answers is there.
            using var response = await httpClientFactory.CreateClient(HttpClientName)
                .GetAsync(address, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Answered();
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            LogNotAnswering(address, options.Value.IssuerProbeTimeout.TotalSeconds);
            return false;
        }
    });

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The issuer answered no probe of {Address} within {Seconds} s: waiting token exchanges are answered 'issuer unavailable'")]
    private partial void LogNotAnswering(Uri address, double seconds);
}
