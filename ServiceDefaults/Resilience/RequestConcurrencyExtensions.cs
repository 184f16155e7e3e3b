using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class RequestConcurrencyExtensions
{
    /// <summary>
    /// Works on at most <see cref="RequestConcurrencyOptions.PermitLimit"/> requests at once and
    /// queues the next ones, so a burst is served in turn instead of slowing every request until
    /// time-outs cut them off; past the queue, a request is refused at once with 503 and
    /// <c>Retry-After</c>. Health probes are never queued. It runs first, in front of the app's
    /// own middleware, so a refused request costs next to nothing.
    /// </summary>
    public static TBuilder AddRequestConcurrencyLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<RequestConcurrencyOptions>()
            .BindConfiguration(RequestConcurrencyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RequestConcurrencyOptions>>(
            (rateLimiter, settings) => Configure(rateLimiter, settings.Value));
        builder.Services.AddTransient<IStartupFilter, RequestConcurrencyStartupFilter>();

        return builder;
    }

    private static void Configure(RateLimiterOptions rateLimiter, RequestConcurrencyOptions settings)
    {
        var limiterOptions = new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.PermitLimit,
            QueueLimit = settings.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };

        rateLimiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, bool>(context =>
            HealthCheckExtensions.IsHealthEndpoint(context.Request.Path)
                ? RateLimitPartition.GetNoLimiter(true)
                : RateLimitPartition.GetConcurrencyLimiter(false, _ => limiterOptions));

        var retryAfter = ((int)settings.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        rateLimiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
        rateLimiter.OnRejected = async (context, cancellationToken) =>
        {
            var httpContext = context.HttpContext;
            httpContext.Response.Headers.RetryAfter = retryAfter;
            if (httpContext.RequestServices.GetService<IProblemDetailsService>() is { } problemDetails)
            {
                await problemDetails.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = httpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status503ServiceUnavailable,
                        Title = "Too many requests at once",
                        Detail = "The service is busy; nothing was done. Try again after the Retry-After delay.",
                    },
                });
            }
        };
    }

    private sealed class RequestConcurrencyStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRateLimiter();
            next(app);
        };
    }
}
