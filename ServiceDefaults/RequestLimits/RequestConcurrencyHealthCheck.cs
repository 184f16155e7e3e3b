using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Not ready while requests wait for a permit longer than <see cref="RequestConcurrencyOptions.MaxHealthyWait"/>:
/// every permit has been taken for that long, and the service is not serving its callers in time.
/// Busy but keeping up (permits all taken, short waits) is still ready.
/// </summary>
internal sealed class RequestConcurrencyHealthCheck(RequestConcurrencyLimiter limiter, IOptions<RequestConcurrencyOptions> options) : IHealthCheck
{
    public const string Name = "request-concurrency";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var wait = limiter.LongestWait;
        return Task.FromResult(wait <= settings.MaxHealthyWait
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(
                $"A request has waited {wait.TotalSeconds:0.0} s for one of the {settings.PermitLimit} permits, "
                + $"{limiter.Statistics.CurrentQueuedCount} wait now (ready while under {settings.MaxHealthyWait.TotalSeconds:0.#} s)."));
    }
}
