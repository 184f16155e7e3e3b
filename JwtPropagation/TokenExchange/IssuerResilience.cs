using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace JwtPropagation;

/// <summary>
/// How calls to the issuer's token endpoint are retried, timed out and broken off. The time-outs are
/// long, for an issuer that is busy; one that answers nothing is told apart well before them
/// (<see cref="IssuerLiveness"/>).
/// </summary>
internal static class IssuerResilience
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    public static void Configure(HttpStandardResilienceOptions options)
    {
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.AttemptTimeout.Timeout = AttemptTimeout;
        options.TotalRequestTimeout.Timeout = AttemptTimeout * 2;
        // At least twice the attempt time-out, as the standard options require.
        options.CircuitBreaker.SamplingDuration = AttemptTimeout * 5;
        // Opened by refused connections during an outage, it lets a call through again a second
        // later (not the standard 5 s), so exchanges resume within seconds of the issuer's return.
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
        // An issuer slow under a burst, or shedding load (503), is not a broken one: only
        // unreachable or failing opens the breaker, so a burst does not refuse every exchange.
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Exception: HttpRequestException } => true,
            { Result.StatusCode: var status } => (int)status >= 500 && status != HttpStatusCode.ServiceUnavailable,
            _ => false,
        });
    }
}
