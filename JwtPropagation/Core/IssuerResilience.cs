using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace JwtPropagation;

/// <summary>
/// How calls to the issuer are retried, timed out and broken off: reads of its metadata, keys and
/// revocation feed (<see cref="Backchannel"/>) and token exchanges (<see cref="TokenEndpoint"/>).
/// Their time-outs are longer than those of calls a user waits on, for an issuer that starts or
/// works on a busy machine; one that answers nothing is told apart well before them
/// (<see cref="Outgoing.IssuerLiveness"/>).
/// </summary>
internal static class IssuerResilience
{
    /// <summary>
    /// Reads run in the background, apart from the very first read of the keys, which requests wait
    /// for at most 10 s (<see cref="Incoming.IssuerConfigurationManager"/>): 5 s an attempt, 10 s in all. A
    /// read that fails keeps what was read before.
    /// </summary>
    public static void Backchannel(HttpStandardResilienceOptions options) => Configure(options, TimeSpan.FromSeconds(5));

    /// <summary>
    /// An exchange is made once per caller's token and destination, then cached: under a burst on a
    /// freshly started issuer it may take seconds, which beats refusing the caller: 10 s an attempt.
    /// </summary>
    public static void TokenEndpoint(HttpStandardResilienceOptions options) => Configure(options, TimeSpan.FromSeconds(10));

    private static void Configure(HttpStandardResilienceOptions options, TimeSpan attemptTimeout)
    {
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.AttemptTimeout.Timeout = attemptTimeout;
        options.TotalRequestTimeout.Timeout = attemptTimeout * 2;
        // At least twice the attempt time-out, as the standard options require.
        options.CircuitBreaker.SamplingDuration = attemptTimeout * 5;
        // Opened by refused connections during an outage, it lets a call through again a second
        // later (not the standard 5 s), so calls resume within seconds of the issuer's return.
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
        options.CircuitBreaker.OpenOnCalleeFailureOnly();
    }
}
