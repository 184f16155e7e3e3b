using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class RequestLimitsExtensions
{
    /// <summary>
    /// What a request must pass before the app works on it, in this order, in front of the app's
    /// own middleware so a refusal costs next to nothing:
    /// <list type="number">
    /// <item>its headers and its whole body received, within a size and a time (<see cref="RequestLimitsOptions"/>);</item>
    /// <item>the app's rate limits, where it adds ASP.NET Core's rate limiter with a global limiter
    /// (<c>AddRateLimiter</c>): strangers are turned away before they wait for anything;</item>
    /// <item>one of a bounded number of permits (<see cref="RequestConcurrencyOptions"/>): a burst is
    /// served in turn instead of slowing every request until time-outs cut them off; past the queue
    /// a request is refused at once with 503 and <c>Retry-After</c>. Health probes never wait, and
    /// <c>/health</c> stops saying ready while requests wait too long.</item>
    /// </list>
    /// So no request holds a permit while its sender decides how long it takes.
    /// </summary>
    public static TBuilder AddRequestLimits<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<RequestConcurrencyOptions>()
            .BindConfiguration(RequestConcurrencyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>(
            (kestrel, limits) => kestrel.Limits.RequestHeadersTimeout = limits.Value.HeadersTimeout);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RequestConcurrencyLimiter>();
        builder.Services.AddHealthChecks().AddCheck<RequestConcurrencyHealthCheck>(RequestConcurrencyHealthCheck.Name);
        builder.Services.AddTransient<IStartupFilter, RequestLimitsStartupFilter>();

        return builder;
    }

    private sealed class RequestLimitsStartupFilter(IOptions<RateLimiterOptions> rateLimits) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<RequestBodyMiddleware>();
            if (rateLimits.Value.GlobalLimiter is not null)
            {
                app.UseRateLimiter();
            }

            app.UseMiddleware<RequestConcurrencyMiddleware>();
            next(app);
        };
    }
}
