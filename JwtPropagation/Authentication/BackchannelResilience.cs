using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace JwtPropagation;

/// <summary>
/// How reads of the issuer's metadata, keys and revocation feed are retried and timed out. They run
/// in the background, apart from the very first read of the keys, which requests wait for at most
/// 10 s (<see cref="IssuerConfigurationManager"/>): so each attempt gets 5 s and the read 10 s in
/// all, not the 2 s attempts of calls a user waits on, which an issuer starting on a busy machine
/// can miss while it works (issue 22). A read that fails keeps what was read before.
/// </summary>
internal static class BackchannelResilience
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    public static void Configure(HttpStandardResilienceOptions options)
    {
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.AttemptTimeout.Timeout = AttemptTimeout;
        options.TotalRequestTimeout.Timeout = AttemptTimeout * 2;
        // At least twice the attempt time-out, as the standard options require.
        options.CircuitBreaker.SamplingDuration = AttemptTimeout * 5;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
        // Slow or shedding load (503) is not broken: only unreachable or failing opens the breaker.
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Exception: HttpRequestException } => true,
            { Result.StatusCode: var status } => (int)status >= 500 && status != HttpStatusCode.ServiceUnavailable,
            _ => false,
        });
    }
}
