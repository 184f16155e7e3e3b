using JwtPropagation;
using JwtPropagation.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;

namespace OpenTelemetry.Trace;

/// <summary>
/// The token parts' telemetry, added where the application builds its OpenTelemetry pipeline, as
/// instrumentation libraries are: before the exporter, so nothing leaves the process unredacted.
/// </summary>
public static class TokenTelemetryExtensions
{
    /// <summary>
    /// Records the token spans (<see cref="TokenTelemetry.SourceName"/>), adds to each outgoing
    /// HttpClient span how its token went (<see cref="TokenTelemetry.Outcome"/>, audience,
    /// fingerprint), and redacts anything shaped like a token from every span's attributes.
    /// Add it before the exporter.
    /// </summary>
    /// <param name="tracing">The application's tracer provider builder.</param>
    /// <returns>The same builder.</returns>
    public static TracerProviderBuilder AddTokenPropagationInstrumentation(this TracerProviderBuilder tracing)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        return tracing
            .AddSource(TokenTelemetry.SourceName)
            .ConfigureServices(services => services.Configure<HttpClientTraceInstrumentationOptions>(options =>
            {
                var enrich = options.EnrichWithHttpRequestMessage;
                options.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    enrich?.Invoke(activity, request);
                    TokenTelemetry.EnrichClientSpan(activity, request);
                };
            }))
            .AddProcessor(new TokenRedactingSpanProcessor());
    }

    /// <summary>Records the token metrics (<see cref="TokenTelemetry.SourceName"/>): validations, refusals, propagations, exchanges.</summary>
    /// <param name="metrics">The application's meter provider builder.</param>
    /// <returns>The same builder.</returns>
    public static MeterProviderBuilder AddTokenPropagationInstrumentation(this MeterProviderBuilder metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.AddMeter(TokenTelemetry.SourceName);
    }

    /// <summary>Redacts anything shaped like a token from every log record's message and attributes. Add it before the exporter.</summary>
    /// <param name="logging">The application's OpenTelemetry logging options.</param>
    /// <returns>The same options.</returns>
    public static OpenTelemetryLoggerOptions AddTokenRedaction(this OpenTelemetryLoggerOptions logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        return logging.AddProcessor(new TokenRedactingLogProcessor());
    }
}
