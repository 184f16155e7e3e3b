using Microsoft.Extensions.DependencyInjection;
using Polly.Telemetry;

namespace Microsoft.Extensions.Hosting;

public static class ResilienceLoggingExtensions
{
    /// <summary>
    /// Polly logs every attempt of every outgoing call at Information ("Execution attempt ...
    /// Handled: False"): a line per call, background polls included, which buries the calls a user
    /// came to see. An attempt that succeeded is logged at Debug; one that is retried or fails
    /// keeps its Warning, and the resilience metrics still count every attempt.
    /// </summary>
    public static IServiceCollection LogTroubledResilienceEventsOnly(this IServiceCollection services) =>
        services.Configure<TelemetryOptions>(options => options.SeverityProvider = static args =>
            args.Event is { EventName: "ExecutionAttempt", Severity: ResilienceEventSeverity.Information }
                ? ResilienceEventSeverity.Debug
                : args.Event.Severity);
}
