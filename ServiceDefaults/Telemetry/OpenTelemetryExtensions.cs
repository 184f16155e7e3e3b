using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class OpenTelemetryExtensions
{
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // IdentityModel's messages leave out token contents unless these are turned on: never here.
        IdentityModelEventSource.ShowPII = false;
        IdentityModelEventSource.LogCompleteSecurityArtifact = false;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.AddProcessor(new TokenRedactingLogProcessor());
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TokenTelemetry.SourceName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, TokenTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Probes every few seconds would drown the traces that matter.
                    aspNetCore.Filter = context => !HealthCheckExtensions.IsHealthEndpoint(context.Request.Path))
                .AddHttpClientInstrumentation(httpClient =>
                    httpClient.EnrichWithHttpRequestMessage = TokenTelemetry.EnrichClientSpan)
                .AddProcessor(new TokenRedactingSpanProcessor()));

        // The AppHost sets the endpoint of the dashboard's collector; without it nothing is exported.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }
}
