using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace JwtPropagation.Outgoing;

/// <summary>
/// Tells an issuer that is gone from one that is busy, so an exchange can wait for the one and give
/// up on the other at once. An exchange that has had no answer for
/// <see cref="TokenExchangeOptions.IssuerAnswerWait"/> asks whether the issuer is there: it is if it
/// answered anything during that wait (<see cref="IssuerHeartbeat"/>), or answers a probe of
/// <see cref="TokenExchangeOptions.IssuerProbePath"/>, on a connection of its own, within
/// <see cref="TokenExchangeOptions.IssuerProbeTimeout"/>. It is gone if the probe's connection
/// fails, or the probe goes unanswered while the issuer has refused a connection, or answered
/// nothing, within <see cref="TokenExchangeOptions.IssuerSilenceLimit"/>. An unanswered probe alone
/// is not enough: an issuer starting under a burst on a busy machine may answer nothing for seconds,
/// and is worth waiting for. A stopped issuer behind Aspire's proxy (which closes some connections
/// and holds others), a refused connection, and a port that only ever holds connections are all
/// told within about two waits. The waiting exchanges share one probe at a time.
/// </summary>
internal sealed partial class IssuerLiveness(
    IHttpClientFactory httpClientFactory,
    IssuerHeartbeat heartbeat,
    IOptions<TokenExchangeOptions> options,
    TimeProvider timeProvider,
    ILogger<IssuerLiveness> logger)
{
    public const string HttpClientName = "token-exchange-probe";

    private readonly Lock _lock = new();
    private Task<ProbeResult> _probe = Task.FromResult(ProbeResult.Answered);
    private long _probeStartedAt;

    private enum ProbeResult
    {
        Answered,
        Refused,
        Unanswered,
    }

    /// <summary>
    /// Sends <paramref name="request"/> and, while no answer has come, asks after every
    /// <see cref="TokenExchangeOptions.IssuerAnswerWait"/> whether the issuer is there at all.
    /// </summary>
    /// <exception cref="TimeoutException">The issuer is gone: the request was abandoned.</exception>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var send = client.SendAsync(request, abandon.Token);
        while (await Task.WhenAny(send, Task.Delay(settings.IssuerAnswerWait, timeProvider, abandon.Token)) != send)
        {
            if (!await IsThereAsync(request.RequestUri!, cancellationToken))
            {
                await abandon.CancelAsync();
                await send.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw new TimeoutException(
                    $"The issuer at {request.RequestUri!.GetLeftPart(UriPartial.Authority)} is gone: it answered neither the exchange " +
                    $"nor a probe of {settings.IssuerProbePath}.");
            }
        }

        var response = await send;
        await abandon.CancelAsync(); // the last wait's timer
        return response;
    }

    private async Task<bool> IsThereAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (heartbeat.AnsweredWithin(settings.IssuerAnswerWait))
        {
            return true;
        }

        Task<ProbeResult> probe;
        lock (_lock)
        {
            // One probe at a time, and its verdict stands for one wait: not a probe per exchange.
            if (_probe.IsCompleted && timeProvider.GetElapsedTime(_probeStartedAt) >= settings.IssuerAnswerWait)
            {
                _probeStartedAt = timeProvider.GetTimestamp();
                _probe = ProbeAsync(new Uri(endpoint, settings.IssuerProbePath));
            }

            probe = _probe;
        }

        return await probe.WaitAsync(cancellationToken) switch
        {
            ProbeResult.Answered => true,
            ProbeResult.Refused => false,
            _ => heartbeat.AnsweredWithin(settings.IssuerSilenceLimit) && !heartbeat.RefusedWithin(settings.IssuerSilenceLimit),
        };
    }

    // Task.Run: never completes inline, so it can be started under the lock.
    private Task<ProbeResult> ProbeAsync(Uri address) => Task.Run(async () =>
    {
        // Started by whichever exchange asked first: it belongs to none of their traces.
        using var untraced = SuppressInstrumentationScope.Begin();
        var timeoutAfter = options.Value.IssuerProbeTimeout;
        using var timeout = new CancellationTokenSource(timeoutAfter, timeProvider);
        try
        {
            // Any status will do: whatever answers is there.
            using var response = await httpClientFactory.CreateClient(HttpClientName)
                .GetAsync(address, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            heartbeat.Answered();
            return ProbeResult.Answered;
        }
        catch (HttpRequestException exception)
        {
            heartbeat.Refused();
            LogProbeRefused(exception, address);
            return ProbeResult.Refused;
        }
        catch (OperationCanceledException)
        {
            LogProbeUnanswered(address, timeoutAfter.TotalSeconds);
            return ProbeResult.Unanswered;
        }
    });

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The issuer refused a probe of {Address}: waiting token exchanges are answered 'issuer unavailable'")]
    private partial void LogProbeRefused(Exception exception, Uri address);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The issuer answered no probe of {Address} within {Seconds} s: gone if it also refused a connection, or answered nothing, of late")]
    private partial void LogProbeUnanswered(Uri address, double seconds);
}
