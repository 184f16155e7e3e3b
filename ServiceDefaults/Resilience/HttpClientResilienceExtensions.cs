using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Microsoft.Extensions.Hosting;

public static class HttpClientResilienceExtensions
{
    /// <summary>
    /// Most of the whole call's budget: a callee starved of CPU (eight processes starting on two
    /// cores) may take seconds to answer, and cutting it off at 2 s to ask again only adds work to
    /// it and turns a slow answer into a 503 (issue 22). A dead callee is still told within the
    /// total: refused connections fail at once, and one that holds the connection gets no more.
    /// </summary>
    private static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(4);

    /// <summary>
    /// How long a whole call may take, retries included, unless told otherwise: what a gRPC client
    /// gives its calls as their deadline, so the callee stops when the caller does.
    /// </summary>
    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The standard resilience pipeline, tuned for calls a user waits on: retry briefly, give each
    /// attempt <paramref name="attemptTimeout"/> (4 s) and the whole call <paramref name="totalTimeout"/>
    /// (5 s), rather than the standard back-off and 30 s budget. Each destination (authority) gets
    /// a circuit breaker and a concurrency limit of its own, so one failing callee never shuts
    /// out calls to another. The breaker opens for a callee that is down or failing, not for one
    /// that is merely slow or asks to be called later: a burst that slows every call down must
    /// not turn every user away.
    /// </summary>
    public static IHttpClientBuilder AddDefaultResilience(
        this IHttpClientBuilder builder, TimeSpan? attemptTimeout = null, TimeSpan? totalTimeout = null)
    {
        var attempt = attemptTimeout ?? DefaultAttemptTimeout;
        builder.AddStandardResilienceHandler(options =>
            {
                options.Retry.Delay = TimeSpan.FromMilliseconds(100);
                options.AttemptTimeout.Timeout = attempt;
                options.TotalRequestTimeout.Timeout = totalTimeout ?? DefaultTotalTimeout;
                // At least twice the attempt time-out, as the standard options require.
                options.CircuitBreaker.SamplingDuration = attempt * 5;
                options.CircuitBreaker.OpenOnCalleeFailureOnly();
            })
            // Registered as defaults for every client, the pipeline would otherwise be one for all.
            .SelectPipelineByAuthority();

        return builder;
    }
}
