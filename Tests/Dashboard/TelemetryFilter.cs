namespace Tests.Dashboard;

/// <summary>
/// The query parameters of the dashboard's telemetry API (Aspire 13.6). Every list endpoint takes
/// <c>limit</c> (the newest n; always set by <see cref="DashboardTelemetry"/> to all it holds) and
/// <c>search</c> (text in names, attributes or bodies); there is no paging.
/// </summary>
/// <param name="Resource">traces, spans, logs: one resource's telemetry; a resource the dashboard does not know answers 404.</param>
/// <param name="TraceId">spans, logs: those of one trace (one trace is <c>/api/telemetry/traces/{traceId}</c>).</param>
/// <param name="HasError">traces, spans: only those with (true) or without (false) an error status.</param>
/// <param name="Severity">logs: this level and above (Trace, Debug, Information, Warning, Error, Critical).</param>
/// <param name="Search">traces, spans, logs: those whose text contains it.</param>
internal sealed record TelemetryFilter(
    string? Resource = null,
    string? TraceId = null,
    bool? HasError = null,
    string? Severity = null,
    string? Search = null)
{
    public static TelemetryFilter None { get; } = new();

    public string ToQueryString(int limit)
    {
        var parameters = new List<string> { $"limit={limit}" };
        Add("resource", Resource);
        Add("traceId", TraceId);
        Add("hasError", HasError is { } hasError ? (hasError ? "true" : "false") : null);
        Add("severity", Severity);
        Add("search", Search);
        return "?" + string.Join('&', parameters);

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parameters.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
    }
}
