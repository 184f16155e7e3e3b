using Tests.Integration;

namespace Tests.Dashboard;

/// <summary>What the services tell the dashboard about a call: one trace, and logs that point to it.</summary>
public sealed class DashboardTelemetryTests(DistributedAppFixture app)
{
    private const string BothServices = "users.read profiles.read";

    [Fact]
    public async Task A_call_to_users_me_is_one_trace_from_UserService_into_ProfileService()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("alice", BothServices, cancellationToken));

        var traceId = await TracedCall.GetAsync(client, "/users/me", cancellationToken);
        var trace = await telemetry.WaitForTraceAsync(traceId, IsComplete, cancellationToken);

        var profiles = Assert.Single(trace.SpansOf("profileservice"), span => span.Span.Kind == OtlpSpanKind.Server);
        var caller = Assert.Single(trace.Spans, span => span.Span.SpanId == profiles.Span.ParentSpanId);
        Assert.Equal(("userservice", OtlpSpanKind.Client), (caller.Service, caller.Span.Kind));
        Assert.Equal("/profiles/me", profiles.Span.Attributes.Value("url.path"));
        Assert.DoesNotContain(trace.Spans, span => span.Span.Status?.Code == OtlpStatusCode.Error);
    }

    [Fact]
    public async Task UserServices_log_records_of_a_call_point_to_the_calls_span()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("alice", BothServices, cancellationToken));

        var traceId = await TracedCall.GetAsync(client, "/users/me", cancellationToken);
        var trace = await telemetry.WaitForTraceAsync(traceId, IsComplete, cancellationToken);
        var logs = await telemetry.WaitForLogsAsync(
            new TelemetryFilter(Resource: "userservice", TraceId: traceId), logs => logs.Any(IsCallToProfileService), cancellationToken);

        var request = Assert.Single(trace.SpansOf("userservice"), span => span.Span.Kind == OtlpSpanKind.Server);
        Assert.Equal(request.Span.SpanId, logs.First(IsCallToProfileService).Record.SpanId);
    }

    [Fact]
    public async Task The_services_background_reads_of_the_issuer_leave_no_traces_and_no_information_logs()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("alice", BothServices, cancellationToken));

        // By the time a user's call is in the dashboard, every service has read the issuer's keys
        // to validate it and has polled the revocation feed every second since it started.
        var traceId = await TracedCall.GetAsync(client, "/users/me", cancellationToken);
        await telemetry.WaitForTraceAsync(traceId, IsComplete, cancellationToken);

        // The controls: the same searches find this call's own trace and UserService's log line of
        // its call to ProfileService, so an empty answer below means nothing matched, not a search that cannot match.
        Assert.Contains(await telemetry.GetTracesAsync(new TelemetryFilter(Search: "/users/me"), cancellationToken), trace => trace.TraceId == traceId);
        Assert.NotEmpty(await telemetry.GetLogsAsync(new TelemetryFilter("userservice", TraceId: traceId, Severity: "Information", Search: "/profiles/me"), cancellationToken));

        Assert.Empty(await telemetry.GetTracesAsync(new TelemetryFilter(Search: "/revocations"), cancellationToken));
        foreach (var service in (string[])["userservice", "profileservice"])
        {
            foreach (var read in (string[])["/revocations", "/.well-known/", "Execution attempt"])
            {
                Assert.Empty(await telemetry.GetLogsAsync(new TelemetryFilter(service, Severity: "Information", Search: read), cancellationToken));
            }
        }
    }

    // HttpClient's own log line for the call UserService makes to ProfileService.
    private static bool IsCallToProfileService(TelemetryLog log) =>
        log.Record.Body?.StringValue?.StartsWith("Start processing HTTP request GET", StringComparison.Ordinal) == true
        && log.Record.Body.StringValue.EndsWith("/profiles/me", StringComparison.Ordinal);

    // Each service's server span ends after everything it did for the call.
    private static bool IsComplete(TelemetryTrace trace) =>
        trace.Has("userservice", "GET /users/me") && trace.Has("profileservice", "GET /profiles/me");
}
