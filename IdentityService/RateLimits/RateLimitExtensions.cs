using System.Threading.RateLimiting;
using IdentityService.Settings;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace IdentityService.RateLimits;

internal static class RateLimitExtensions
{
    /// <summary>
    /// Rate limits where strangers knock (<see cref="CallerPartitions"/>), with ASP.NET Core's rate
    /// limiter: a caller past its allowance is answered 429 with <c>Retry-After</c>, at once and
    /// before it waits for one of the permits requests are worked on with (ServiceDefaults puts the
    /// limiter there).
    /// </summary>
    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<IdentityServerOptions>>((rateLimiter, settings) =>
        {
            var callers = new CallerPartitions(settings.Value.RateLimits, settings.Value.ServiceClients.Keys);
            rateLimiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(callers.Of);
            rateLimiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            rateLimiter.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.SetRetryAfter(retryAfter);
                }

                return new ValueTask(TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: "Too many requests from this caller; nothing was done. Try again after the Retry-After delay.")
                    .ExecuteAsync(context.HttpContext));
            };
        });

        return builder;
    }
}
