using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Tests.Integration;

namespace Tests.Dashboard;

/// <summary>
/// Reads what the services exported to the dashboard, through its telemetry API (OTLP JSON):
/// <c>/api/telemetry/traces</c>, <c>/logs</c>, and for a raw scan <c>/spans</c> and
/// <c>/resources</c> too. The dashboard serves no metrics this way (13.6 has no such endpoint);
/// docs/dashboard-telemetry-api.md describes the API.
/// </summary>
internal sealed class DashboardTelemetry : IDisposable
{
    // More than the dashboard keeps (10,000 of each by default), so a list is never cut short.
    private const int Everything = 100_000;

    // The services export every second; this leaves room for a slow machine.
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] RawEndpoints =
        ["/api/telemetry/resources", "/api/telemetry/traces", "/api/telemetry/spans", "/api/telemetry/logs"];

    private readonly HttpClient _http;

    public DashboardTelemetry(DashboardAccess dashboard)
    {
        _http = new HttpClient { BaseAddress = dashboard.BaseAddress };
        _http.DefaultRequestHeaders.Add("x-api-key", dashboard.ApiKey);
    }

    public static async Task<DashboardTelemetry> ConnectAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        new(await DashboardAccess.ForAsync(app, cancellationToken));

    /// <summary>One trace with all the spans the dashboard holds of it, or null while it holds none.</summary>
    public async Task<TelemetryTrace?> GetTraceAsync(string traceId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"/api/telemetry/traces/{traceId}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var page = await response.Content.ReadFromJsonAsync<TelemetryPage<OtlpTracesData>>(Json, cancellationToken);
        return page!.Data.Traces().SingleOrDefault(trace => trace.TraceId == traceId);
    }

    /// <summary>One trace as the API serves it (OTLP JSON, every field), for scans of what its spans reveal.</summary>
    public Task<string> GetRawTraceAsync(string traceId, CancellationToken cancellationToken) =>
        _http.GetStringAsync(new Uri($"/api/telemetry/traces/{traceId}", UriKind.Relative), cancellationToken);

    /// <summary>The traces that match <paramref name="filter"/>, with all the spans the dashboard holds of each.</summary>
    public async Task<IReadOnlyList<TelemetryTrace>> GetTracesAsync(TelemetryFilter filter, CancellationToken cancellationToken)
    {
        var page = await GetPageAsync<OtlpTracesData>("/api/telemetry/traces", filter, cancellationToken);
        return [.. page.Traces()];
    }

    /// <summary>Structured log records.</summary>
    public async Task<IReadOnlyList<TelemetryLog>> GetLogsAsync(TelemetryFilter filter, CancellationToken cancellationToken)
    {
        var page = await GetPageAsync<OtlpLogsData>("/api/telemetry/logs", filter, cancellationToken);
        return page.Records();
    }

    /// <summary>
    /// Asks again, for that one trace, until it satisfies <paramref name="complete"/>: spans reach
    /// the dashboard about a second after they end, each service's on its own schedule.
    /// </summary>
    public async Task<TelemetryTrace> WaitForTraceAsync(string traceId, Func<TelemetryTrace, bool> complete, CancellationToken cancellationToken)
    {
        TelemetryTrace? latest = null;
        try
        {
            var trace = await WaitAsync<TelemetryTrace>(
                async token => (latest = await GetTraceAsync(traceId, token)) is { } found ? [found] : [],
                traces => traces.Count == 1 && complete(traces[0]),
                $"trace {traceId} as expected",
                cancellationToken);
            return trace[0];
        }
        catch (TimeoutException exception)
        {
            // Say what did arrive, so a failure shows which service's spans were missing.
            var spans = latest is null ? "none" : string.Join(", ", latest.Spans.Select(span => $"{span.Service}: {span.Span.Name}"));
            throw new TimeoutException($"{exception.Message} Spans that arrived: {spans}.", exception);
        }
    }

    /// <summary>Asks again until the traces that match <paramref name="filter"/> satisfy <paramref name="done"/>.</summary>
    public Task<IReadOnlyList<TelemetryTrace>> WaitForTracesAsync(
        TelemetryFilter filter, Func<IReadOnlyList<TelemetryTrace>, bool> done, CancellationToken cancellationToken) =>
        WaitAsync(token => GetTracesAsync(filter, token), done, "traces as expected", cancellationToken);

    /// <summary>Asks again until the dashboard holds spans of every one of <paramref name="traceIds"/>.</summary>
    public async Task WaitForTracesAsync(IEnumerable<string> traceIds, CancellationToken cancellationToken)
    {
        foreach (var traceId in traceIds)
        {
            await WaitForTraceAsync(traceId, _ => true, cancellationToken);
        }
    }

    /// <summary>Asks again until the log records that match <paramref name="filter"/> satisfy <paramref name="done"/>.</summary>
    public Task<IReadOnlyList<TelemetryLog>> WaitForLogsAsync(
        TelemetryFilter filter, Func<IReadOnlyList<TelemetryLog>, bool> done, CancellationToken cancellationToken) =>
        WaitAsync(token => GetLogsAsync(filter, token), done, "log records", cancellationToken);

    /// <summary>
    /// Everything the API serves, as the raw JSON answer of each endpoint (keyed by its path), for
    /// scans of what telemetry reveals. Fails rather than return a list the limit cut short.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> GetAllRawAsync(CancellationToken cancellationToken)
    {
        var answers = new Dictionary<string, string>();
        foreach (var endpoint in RawEndpoints)
        {
            var json = await _http.GetStringAsync(new Uri($"{endpoint}?limit={Everything}", UriKind.Relative), cancellationToken);
            EnsureComplete(endpoint, json);
            answers[endpoint] = json;
        }

        return answers;
    }

    public void Dispose() => _http.Dispose();

    private static async Task<IReadOnlyList<T>> WaitAsync<T>(
        Func<CancellationToken, Task<IReadOnlyList<T>>> read, Func<IReadOnlyList<T>, bool> done, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ArrivalTimeout);
        try
        {
            return await Polling.UntilAsync(read, done, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The dashboard held no {what} within {ArrivalTimeout.TotalSeconds} s.");
        }
    }

    private async Task<TData> GetPageAsync<TData>(string path, TelemetryFilter filter, CancellationToken cancellationToken)
    {
        var page = await _http.GetFromJsonAsync<TelemetryPage<TData>>(
            new Uri(path + filter.ToQueryString(Everything), UriKind.Relative), Json, cancellationToken);
        return page!.Data;
    }

    private static void EnsureComplete(string path, string json)
    {
        using var document = JsonDocument.Parse(json);
        // Lists come as a page with counts; /resources is a bare array, never cut.
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.GetProperty("returnedCount").GetInt32() < document.RootElement.GetProperty("totalCount").GetInt32())
        {
            throw new InvalidOperationException($"{path} returned only part of what the dashboard holds.");
        }
    }
}
