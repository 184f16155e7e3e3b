namespace Tests.Dashboard;

/// <summary><c>data</c> of <c>/api/telemetry/logs</c>: structured log records grouped by resource, then scope (the logger's category).</summary>
internal sealed record OtlpLogsData(IReadOnlyList<OtlpResourceLogs> ResourceLogs)
{
    /// <summary>Every log record with the service that wrote it.</summary>
    public IReadOnlyList<TelemetryLog> Records() =>
        [.. ResourceLogs.SelectMany(resource => resource.ScopeLogs.SelectMany(scope => scope.LogRecords)
            .Select(record => new TelemetryLog(resource.Resource.ServiceName, record)))];
}

internal sealed record OtlpResourceLogs(OtlpResource Resource, IReadOnlyList<OtlpScopeLogs> ScopeLogs);

internal sealed record OtlpScopeLogs(OtlpScope Scope, IReadOnlyList<OtlpLogRecord> LogRecords);

/// <summary>A log record; <see cref="TraceId"/> and <see cref="SpanId"/> are there when it was written inside a span.</summary>
internal sealed record OtlpLogRecord(
    string? SeverityText,
    OtlpAnyValue? Body,
    IReadOnlyList<OtlpKeyValue>? Attributes,
    string? TraceId,
    string? SpanId);

internal sealed record TelemetryLog(string Service, OtlpLogRecord Record);
