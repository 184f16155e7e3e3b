using System.Diagnostics;
using System.Text.RegularExpressions;
using JwtPropagation;
using Tests.Exports;
using Tests.Integration;

namespace Tests.Dashboard;

/// <summary>
/// What the dashboard shows of an export, a job that runs after its request ended: a trace of its
/// own, linked to the request that queued it, naming its job and delegation; ProfileService
/// called in it with access tokens made for the job (UserService named as actor), never with the
/// user's token, and no token of any kind in its spans.
/// </summary>
public sealed partial class ExportRunTelemetryTests(DistributedAppFixture app)
{
    private const string User = "user140";
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task An_export_run_links_to_the_request_that_queued_it_and_calls_ProfileService_only_with_the_jobs_tokens()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TestTimeout);
        var cancellationToken = timeout.Token;
        using var telemetry = await DashboardTelemetry.ConnectAsync(app.App, cancellationToken);
        // A token no other test holds, so finding it anywhere in the job's spans means the job used it.
        var userToken = await app.GetFreshTokenAsync(User, "users.read profiles.read", cancellationToken);
        var userFingerprint = new CallerToken(userToken, User, default).Fingerprint;

        // The request that queues the export runs in a trace of the test's choosing (as TracedCall's do).
        var queueTraceId = ActivityTraceId.CreateRandom().ToHexString();
        using var queuing = app.CreateClient("userservice", userToken);
        queuing.DefaultRequestHeaders.Add("traceparent", $"00-{queueTraceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var location = await ExportJobs.QueueAsync(queuing, cancellationToken);
        using var owner = app.CreateClient("userservice", userToken);
        var export = await ExportJobs.FinishedAsync(owner, location, cancellationToken);
        Assert.Equal("Succeeded", export.Status);
        var jobId = export.Id.ToString();

        var queued = await telemetry.WaitForTraceAsync(
            queueTraceId, trace => trace.Has("userservice", "token delegation") && trace.SpansOf("userservice").Any(IsServer), cancellationToken);
        var queueRequest = Assert.Single(queued.SpansOf("userservice"), IsServer).Span;
        var capture = Assert.Single(queued.SpansOf("userservice"), span => span.Span.Name == "token delegation").Span;
        Assert.Equal(jobId, capture.Attributes.Value(TokenTelemetry.JobId));

        // The job's own trace: the one whose "export run" names this job; whole once each service's last span is in.
        var runs = await telemetry.WaitForTracesAsync(
            new TelemetryFilter(Resource: "userservice", Search: jobId), traces => traces.Any(trace => RunOf(trace, jobId) is not null), cancellationToken);
        var runTraceId = Assert.Single(runs, trace => RunOf(trace, jobId) is not null).TraceId;
        var job = await telemetry.WaitForTraceAsync(
            runTraceId,
            trace => RunOf(trace, jobId) is not null
                && trace.SpansOf("profileservice").Count(IsServer) == 3
                && trace.Spans.Any(span => span.Service == "identity" && IsServer(span) && DescendsFrom(trace, span.Span, "token delegation withdrawn")),
            cancellationToken);
        var run = RunOf(job, jobId)!;

        Assert.NotEqual(queueTraceId, runTraceId);
        var link = Assert.Single(run.Links ?? []);
        Assert.Equal(queueRequest.TraceId, link.TraceId);
        Assert.Equal(queueRequest.SpanId, link.SpanId);
        Assert.Equal(capture.Attributes.Value(TokenTelemetry.DelegationFingerprint), run.Attributes.Value(TokenTelemetry.DelegationFingerprint));
        Assert.False(string.IsNullOrEmpty(run.Attributes.Value(TokenTelemetry.DelegationFingerprint)), "The run names no delegation.");
        Assert.Equal("userservice", run.Attributes.Value(TokenTelemetry.ActorChain));

        // ProfileService, called by the run: three calls, each with an access token UserService got by exchange for the job.
        var calls = job.SpansOf("profileservice").Select(span => span.Span).Where(span => IsServer(span) && DescendsFrom(job, span, run.Name)).ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, call =>
        {
            Assert.Equal("true", call.Attributes.Value(TokenTelemetry.Validated));
            Assert.Equal(User, call.Attributes.Value(TokenTelemetry.UserId));
            Assert.Equal("userservice", call.Attributes.Value(TokenTelemetry.ActorChain));
            var sent = ParentOf(job, call);
            Assert.Equal("exchanged", sent.Attributes.Value(TokenTelemetry.Outcome));
            Assert.Equal(sent.Attributes.Value(TokenTelemetry.Fingerprint), call.Attributes.Value(TokenTelemetry.Fingerprint));
            Assert.NotEqual(userFingerprint, call.Attributes.Value(TokenTelemetry.Fingerprint));
        });

        // Nothing in the job's spans holds the user's token (nor names it), or any token at all.
        var spans = await telemetry.GetRawTraceAsync(runTraceId, cancellationToken);
        Assert.DoesNotContain(userToken, spans, StringComparison.Ordinal);
        Assert.DoesNotContain(userToken[(userToken.LastIndexOf('.') + 1)..], spans, StringComparison.Ordinal);
        Assert.DoesNotContain(userFingerprint, spans, StringComparison.Ordinal);
        Assert.False(TokenLeakTests.Jwt().IsMatch(spans), $"A JWT appears in the job's spans: {Excerpt(TokenLeakTests.Jwt(), spans)}...");
        Assert.False(EncryptedJwt().IsMatch(spans), $"An encrypted JWT (such as a delegation) appears in the job's spans: {Excerpt(EncryptedJwt(), spans)}...");
        // Nor did the services' last line of defence (TokenRedaction) have anything to take out: nothing token-shaped was recorded.
        Assert.DoesNotContain("[redacted]", spans, StringComparison.Ordinal);
    }

    private static bool IsServer(TelemetrySpan span) => IsServer(span.Span);

    private static bool IsServer(OtlpSpan span) => span.Kind == OtlpSpanKind.Server;

    private static OtlpSpan? RunOf(TelemetryTrace trace, string jobId) =>
        trace.SpansOf("userservice").Select(span => span.Span)
            .SingleOrDefault(span => span.Name == "export run" && span.Attributes.Value(TokenTelemetry.JobId) == jobId);

    private static OtlpSpan ParentOf(TelemetryTrace trace, OtlpSpan span) =>
        trace.Spans.Single(candidate => candidate.Span.SpanId == span.ParentSpanId).Span;

    /// <summary>Whether <paramref name="span"/> is under a span of UserService named <paramref name="ancestor"/>.</summary>
    private static bool DescendsFrom(TelemetryTrace trace, OtlpSpan span, string ancestor)
    {
        var spans = trace.Spans.ToDictionary(candidate => candidate.Span.SpanId);
        for (var parentId = span.ParentSpanId; !string.IsNullOrEmpty(parentId) && spans.TryGetValue(parentId, out var parent); parentId = parent.Span.ParentSpanId)
        {
            if (parent.Service == "userservice" && parent.Span.Name == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static string Excerpt(Regex pattern, string text) => pattern.Match(text).Value[..Math.Min(20, pattern.Match(text).Length)];

    // JWE compact serialization (RFC 7516): a JSON header, then four parts, the encrypted key empty for direct encryption.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")]
    private static partial Regex EncryptedJwt();
}
