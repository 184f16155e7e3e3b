namespace Tests.Dashboard;

// The dashboard's telemetry API answers in OTLP JSON (opentelemetry-proto's JSON mapping), wrapped
// in a page: { "data": {...}, "totalCount": n, "returnedCount": m }. Only the fields tests read are
// modelled here.

/// <summary>One answer of a list endpoint; <see cref="ReturnedCount"/> is below <see cref="TotalCount"/> when the limit cut it.</summary>
internal sealed record TelemetryPage<TData>(TData Data, int TotalCount, int ReturnedCount);

internal sealed record OtlpResource(IReadOnlyList<OtlpKeyValue> Attributes)
{
    /// <summary>The Aspire resource name (identity, profileservice, userservice).</summary>
    public string ServiceName => Attributes.Value("service.name") ?? throw new InvalidOperationException("A resource without service.name.");
}

internal sealed record OtlpScope(string Name);

/// <summary>
/// An attribute value. The dashboard keeps every attribute and log body as text, so it serves each
/// as <c>stringValue</c> whatever type the service recorded.
/// </summary>
internal sealed record OtlpAnyValue(string? StringValue);

internal sealed record OtlpKeyValue(string Key, OtlpAnyValue Value);

internal static class OtlpAttributes
{
    public static string? Value(this IReadOnlyList<OtlpKeyValue>? attributes, string key) =>
        attributes?.FirstOrDefault(attribute => attribute.Key == key)?.Value.StringValue;
}
