using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace JwtPropagation;

/// <summary>The one rule for when a call's circuit breaker opens, for the issuer and for the services alike.</summary>
public static class CircuitBreakerOptionsExtensions
{
    /// <summary>
    /// Opens the breaker only for a callee that is down or broken: it could not be reached, or it
    /// answered with a server error. A time-out may only mean that this caller is busy, and a 503 is
    /// the callee shedding load (with Retry-After, which the retry honours): neither counts, so a
    /// burst that slows every call down does not turn every user away.
    /// </summary>
    public static HttpCircuitBreakerStrategyOptions OpenOnCalleeFailureOnly(this HttpCircuitBreakerStrategyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ShouldHandle = args => ValueTask.FromResult(IsCalleeFailure(args.Outcome));
        return options;
    }

    internal static bool IsCalleeFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Result.StatusCode: var status } => (int)status >= 500 && status != HttpStatusCode.ServiceUnavailable,
        _ => false,
    };
}
