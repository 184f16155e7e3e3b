using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service of the solution gets with one line: telemetry, health checks,
/// service discovery and resilience for outgoing HTTP calls.
/// Authentication is added separately, by naming the service's audience
/// (<see cref="JwtBearerAuthenticationExtensions.AddJwtBearerAuthentication"/>).
/// </summary>
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(options =>
            {
                // A user waits on these calls: retry briefly, then fail within seconds rather than
                // make them wait through the standard back-off (2 s doubling) and 30 s budget.
                options.Retry.Delay = TimeSpan.FromMilliseconds(100);
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            });
            http.AddServiceDiscovery();

            // HttpClient's logging writes each header value as "*": Authorization above all.
            http.RedactLoggedHeaders(static _ => true);
        });

        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        return app;
    }
}
