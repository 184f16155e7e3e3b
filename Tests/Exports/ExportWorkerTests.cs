using System.Collections.Concurrent;
using System.Net;
using JwtPropagation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using UserService.Exports;
using UserService.Profiles;
using UserService.Users;

namespace Tests.Exports;

/// <summary>
/// UserService's export pipeline in process (queue, worker, typed client, forwarding handler), on a
/// clock the test controls, with the network replaced by a recorder of what would have been sent.
/// </summary>
public sealed class ExportWorkerTests : IAsyncDisposable
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ConcurrentQueue<HttpRequestMessage> _sent = new();
    private readonly IHost _host;

    public ExportWorkerTests()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ProfileServiceClientExtensions.SectionName}:Destination"] = "https://profileservice.test",
        });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddLogging();
        builder.AddProfileServiceClient();
        builder.Services.AddScoped<UserSummaryReader>();
        builder.AddExports();
        builder.Services.ConfigureHttpClientDefaults(http =>
            http.ConfigurePrimaryHttpMessageHandler(() => new RecordingHandler(_sent)));
        _host = builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TestContext.Current.CancellationToken);
        _host.Dispose();
    }

    [Fact]
    public async Task A_job_whose_token_expired_before_it_ran_fails_with_token_expired_and_sends_nothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var queue = _host.Services.GetRequiredService<ExportQueue>();
        var token = new AccessToken("token-of-alice", "alice", _time.GetUtcNow() + TokenLifetime);
        var job = queue.TryEnqueue("alice", token).Job!;

        // The job waits in the queue past the token's expiry and the clock skew, then the worker starts.
        _time.Advance(TokenLifetime + new JwtValidationOptions().ClockSkew + TimeSpan.FromSeconds(1));
        await _host.StartAsync(cancellationToken);
        var finished = await Integration.Polling.UntilAsync(
            _ => Task.FromResult(queue.Find(job.Id, "alice")),
            current => current?.Status is ExportStatus.Failed or ExportStatus.Succeeded,
            cancellationToken);

        Assert.Equal(ExportStatus.Failed, finished!.Status);
        Assert.Equal("token expired", finished.FailureReason);
        Assert.Empty(_sent);
    }

    private sealed class RecordingHandler(ConcurrentQueue<HttpRequestMessage> sent) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            sent.Enqueue(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }
}
