using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Works on a request only with one of the <see cref="RequestConcurrencyLimiter"/>'s permits, held
/// until the request ends; past the queue it answers 503 with <c>Retry-After</c> at once. Health
/// probes never wait: they must answer while the service is busiest.
/// </summary>
internal sealed class RequestConcurrencyMiddleware(
    RequestDelegate next, RequestConcurrencyLimiter limiter, IOptions<RequestConcurrencyOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HealthCheckExtensions.IsHealthEndpoint(context.Request.Path))
        {
            await next(context);
            return;
        }

        using var permit = await limiter.AcquireAsync(context.RequestAborted);
        if (!permit.IsAcquired)
        {
            context.Response.SetRetryAfter(options.Value.RetryAfter);
            await TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Too many requests at once",
                detail: "The service is busy; nothing was done. Try again after the Retry-After delay.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
