using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tests.Hostile;
using Tests.Integration;

namespace Tests.RequestLimits;

/// <summary>
/// What ServiceDefaults makes a request pass before a service works on it, on a real Kestrel: a
/// body within its size and time, received before the request takes a permit; the app's rate limit
/// before the permits; a bounded number of permits and a bounded queue; and a <c>/health</c> that
/// answers whatever the load and says when requests wait too long.
/// </summary>
public sealed class RequestLimitsTests
{
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_body_announced_larger_than_allowed_is_refused_with_413_before_any_of_it_is_sent()
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        // A service that read the body would wait a minute for it, and the test would time out first.
        await using var app = await LimitedApp.StartAsync(Settings(("RequestLimits:BodyTimeout", "00:01:00")));
        await using var request = await RawRequest.StartAsync(app.Address, "POST", "/form", contentLength: 29_000_000, cancellationToken);

        var answer = await request.Answer.WaitAsync(AnswerWait, cancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer?.Status);
        Assert.Equal("application/problem+json", answer!.Headers["Content-Type"]);
        Assert.Equal("close", answer.Headers["Connection"]);
    }

    [Fact]
    public async Task A_body_sent_without_its_length_is_refused_with_413_once_it_passes_the_limit()
    {
        await using var app = await LimitedApp.StartAsync(Settings(("RequestLimits:MaxBodySize", "16384")));
        using var client = app.CreateClient();

        using var answer = await client.PostAsync(new Uri("/form", UriKind.Relative), Form(20_000, announceLength: false), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_within_the_limit_reaches_the_app_whole(bool announceLength)
    {
        await using var app = await LimitedApp.StartAsync(Settings(("RequestLimits:MaxBodySize", "16384")));
        using var client = app.CreateClient();

        using var answer = await client.PostAsync(new Uri("/form", UriKind.Relative), Form(16_000, announceLength), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("16000", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_body_that_trickles_in_holds_no_permit_and_is_refused_with_408_when_it_is_late()
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        // One permit and no queue: a request holding the permit would leave /quick a 503.
        await using var app = await LimitedApp.StartAsync(Settings(
            ("RequestConcurrency:PermitLimit", "1"), ("RequestConcurrency:QueueLimit", "0"), ("RequestLimits:BodyTimeout", "00:00:02")));
        using var client = app.CreateClient();
        await using var slow = await RawRequest.StartAsync(app.Address, "POST", "/form", contentLength: 16_000, cancellationToken);
        var trickle = slow.TrickleAsync(16_000, bytesPerTick: 30, TimeSpan.FromMilliseconds(100), limit: TimeSpan.FromSeconds(20), cancellationToken);

        using var meanwhile = await client.GetAsync(new Uri("/quick", UriKind.Relative), cancellationToken);
        Assert.False(slow.Answer.IsCompleted, "The slow request was answered before the other was served.");
        Assert.Equal(HttpStatusCode.OK, meanwhile.StatusCode);

        var answer = await slow.Answer.WaitAsync(AnswerWait, cancellationToken);
        var sent = await trickle;
        Assert.Equal(HttpStatusCode.RequestTimeout, answer?.Status);
        Assert.InRange(sent, 1, 15_999);
    }

    [Fact]
    public async Task Past_the_permits_and_the_queue_a_request_is_refused_at_once_with_503_and_Retry_After_and_health_still_answers()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await LimitedApp.StartAsync(Settings(
            ("RequestConcurrency:PermitLimit", "1"), ("RequestConcurrency:QueueLimit", "0"), ("RequestConcurrency:RetryAfter", "00:00:03")));
        using var client = app.CreateClient();
        var held = client.GetAsync(new Uri("/hold", UriKind.Relative), cancellationToken);
        await UntilAsync(app, statistics => statistics.CurrentAvailablePermits == 0, cancellationToken);

        using var refused = await client.GetAsync(new Uri("/quick", UriKind.Relative), cancellationToken);
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);

        Assert.False(held.IsCompleted);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("3", refused.Headers.RetryAfter?.ToString());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        app.Release();
        using var served = await held;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Health_says_not_ready_once_a_request_has_waited_longer_than_allowed_and_ready_again_when_the_wait_ends()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = await LimitedApp.StartAsync(Settings(
            ("RequestConcurrency:PermitLimit", "1"), ("RequestConcurrency:QueueLimit", "5"), ("RequestConcurrency:MaxHealthyWait", "00:00:02")));
        using var client = app.CreateClient();

        // Every permit taken for longer than the bound, and nobody waiting: busy, and ready.
        var holding = client.GetAsync(new Uri("/hold", UriKind.Relative), cancellationToken);
        await UntilAsync(app, statistics => statistics.CurrentAvailablePermits == 0, cancellationToken);
        app.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("Healthy", await client.GetStringAsync(new Uri("/health", UriKind.Relative), cancellationToken));

        // A request waiting longer than the bound: not ready, and why.
        var waiting = client.GetAsync(new Uri("/hold", UriKind.Relative), cancellationToken);
        await UntilAsync(app, statistics => statistics.CurrentQueuedCount == 1, cancellationToken);
        Assert.Equal("Healthy", await client.GetStringAsync(new Uri("/health", UriKind.Relative), cancellationToken));
        app.Time.Advance(TimeSpan.FromSeconds(3));
        using var notReady = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
        var report = await notReady.Content.ReadAsStringAsync(cancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.StartsWith("Unhealthy\nrequest-concurrency: A request has waited 3.0 s for one of the 1 permits, 1 wait now", report, StringComparison.Ordinal);

        app.Release();
        (await holding).Dispose();
        await UntilAsync(app, statistics => statistics.CurrentQueuedCount == 0, cancellationToken);
        app.Release();
        (await waiting).Dispose();
        Assert.Equal("Healthy", await client.GetStringAsync(new Uri("/health", UriKind.Relative), cancellationToken));
    }

    [Fact]
    public async Task The_apps_rate_limit_turns_a_caller_away_with_429_before_it_waits_for_a_permit()
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        // One request allowed, ever; one permit, and room to wait for it.
        await using var app = await LimitedApp.StartAsync(
            Settings(("RequestConcurrency:PermitLimit", "1"), ("RequestConcurrency:QueueLimit", "5")),
            builder => builder.Services.AddRateLimiter(options =>
            {
                options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, bool>(context =>
                    context.Request.Path.StartsWithSegments("/health")
                        ? RateLimitPartition.GetNoLimiter(true)
                        : RateLimitPartition.GetTokenBucketLimiter(false, _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromHours(1), QueueLimit = 0,
                        }));
            }));
        using var client = app.CreateClient();
        var held = client.GetAsync(new Uri("/hold", UriKind.Relative), cancellationToken);
        await UntilAsync(app, statistics => statistics.CurrentAvailablePermits == 0, cancellationToken);

        // Had it waited for the permit first, it would be answered only once /hold is released.
        using var refused = await client.GetAsync(new Uri("/quick", UriKind.Relative), cancellationToken).WaitAsync(AnswerWait, cancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.False(held.IsCompleted);
        app.Release();
        (await held).Dispose();
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(setting => setting.Key, setting => (string?)setting.Value);

    private static HttpContent Form(int valueLength, bool announceLength)
    {
        var body = $"a={new string('a', valueLength)}";
        HttpContent content = announceLength ? new StringContent(body) : new UnannouncedContent(body);
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        return content;
    }

    private static async Task UntilAsync(LimitedApp app, Func<RateLimiterStatistics, bool> done, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerWait);
        var limiter = app.Services.GetRequiredService<RequestConcurrencyLimiter>();
        await Polling.UntilAsync(_ => Task.FromResult(limiter.Statistics), done, timeout.Token);
    }

    /// <summary>A body sent without its length (chunked), as a streaming client sends one.</summary>
    private sealed class UnannouncedContent(string body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(body)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
