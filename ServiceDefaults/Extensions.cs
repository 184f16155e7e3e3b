using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service of the solution gets with one line: telemetry, health checks, limits on what
/// a request may take (its body's size and time, the requests worked on at once), service discovery
/// and resilience for outgoing HTTP calls.
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
        builder.AddRequestLimits();

        builder.Services.AddServiceDiscovery();
        builder.Services.LogTroubledResilienceEventsOnly();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddDefaultResilience();
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
