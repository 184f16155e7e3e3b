using Tests.Integration;

namespace Tests.Dashboard;

/// <summary>
/// What a scan for leaked tokens reads is really there: a scan of empty text passes whatever leaked.
/// </summary>
public sealed class LeakScanSourceTests(DistributedAppFixture app)
{
    [Fact]
    public async Task The_raw_telemetry_holds_a_calls_spans_and_log_records()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("alice", "users.read profiles.read", cancellationToken));

        var traceId = await TracedCall.GetAsync(client, "/users/me", cancellationToken);
        await telemetry.WaitForTraceAsync(traceId, trace => trace.Has("userservice", "GET /users/me"), cancellationToken);
        await telemetry.WaitForLogsAsync(new TelemetryFilter(TraceId: traceId), logs => logs.Count > 0, cancellationToken);
        var raw = await telemetry.GetAllRawAsync(cancellationToken);

        Assert.Contains("\"userservice\"", raw["/api/telemetry/resources"], StringComparison.Ordinal);
        Assert.Contains(traceId, raw["/api/telemetry/traces"], StringComparison.Ordinal);
        Assert.Contains(traceId, raw["/api/telemetry/spans"], StringComparison.Ordinal);
        Assert.Contains(traceId, raw["/api/telemetry/logs"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("profileservice")]
    [InlineData("userservice")]
    public async Task The_console_output_of_a_service_holds_its_start_up_lines(string service)
    {
        var output = await ResourceConsoleLogs.ReadAsync(app.App, service, TestContext.Current.CancellationToken);

        Assert.Contains("Application started.", output, StringComparison.Ordinal);
    }
}
