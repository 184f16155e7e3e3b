namespace Tests.Dashboard;

/// <summary><c>data</c> of <c>/api/telemetry/traces</c> and <c>/api/telemetry/spans</c>: spans grouped by resource, then scope.</summary>
internal sealed record OtlpTracesData(IReadOnlyList<OtlpResourceSpans> ResourceSpans)
{
    /// <summary>Every span with the service that recorded it, grouped into traces.</summary>
    public IReadOnlyList<TelemetryTrace> Traces() =>
        [.. ResourceSpans
            .SelectMany(resource => resource.ScopeSpans.SelectMany(scope => scope.Spans)
                .Select(span => new TelemetrySpan(resource.Resource.ServiceName, span)))
            .GroupBy(span => span.Span.TraceId)
            .Select(trace => new TelemetryTrace(trace.Key, [.. trace]))];
}

internal sealed record OtlpResourceSpans(OtlpResource Resource, IReadOnlyList<OtlpScopeSpans> ScopeSpans);

internal sealed record OtlpScopeSpans(OtlpScope Scope, IReadOnlyList<OtlpSpan> Spans);

/// <summary>A span; <see cref="ParentSpanId"/> is absent on a root, <see cref="Status"/> while unset, <see cref="Links"/> when there are none.</summary>
internal sealed record OtlpSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    OtlpSpanKind Kind,
    IReadOnlyList<OtlpKeyValue>? Attributes,
    OtlpStatus? Status,
    IReadOnlyList<OtlpSpanLink>? Links = null);

/// <summary>A span's link to a span of another trace (or of its own).</summary>
internal sealed record OtlpSpanLink(string TraceId, string SpanId);

internal enum OtlpSpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

internal sealed record OtlpStatus(OtlpStatusCode Code, string? Message);

internal enum OtlpStatusCode
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}

internal sealed record TelemetrySpan(string Service, OtlpSpan Span);

/// <summary>The spans of one trace the dashboard holds so far, from every service that took part.</summary>
internal sealed record TelemetryTrace(string TraceId, IReadOnlyList<TelemetrySpan> Spans)
{
    public IEnumerable<TelemetrySpan> SpansOf(string service) => Spans.Where(span => span.Service == service);

    /// <summary>Whether <paramref name="service"/>'s span named <paramref name="spanName"/> has arrived.</summary>
    public bool Has(string service, string spanName) => SpansOf(service).Any(span => span.Span.Name == spanName);
}
