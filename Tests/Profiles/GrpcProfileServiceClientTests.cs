using Grpc.Core;
using JwtPropagation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UserService.Profiles;

namespace Tests.Profiles;

/// <summary>
/// UserService's client for ProfileService as it registers it with <c>Transport: Grpc</c>, against
/// a ProfileService that never answers: the call's deadline, and a caller who gives up.
/// </summary>
public sealed class GrpcProfileServiceClientTests : IDisposable
{
    private readonly UnansweredHandler _handler = new();
    private readonly ServiceProvider _services;
    private readonly IDisposable _token = CallerTokenContext.Restore(new CallerToken("header.payload.signature", "alice", DateTimeOffset.UtcNow.AddMinutes(5)));

    public GrpcProfileServiceClientTests()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ProfileService:Transport"] = "Grpc",
            ["ProfileService:Destination"] = "http://localhost:5200",
            ["ProfileService:GrpcDestination"] = "http://localhost:5201",
            ["ProfileService:Mode"] = "Forward",
            ["ProfileService:GrpcDeadline"] = "00:00:00.300",
        });
        builder.Services.AddMetrics();
        builder.AddProfileServiceClient();
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => _handler));
        _services = builder.Services.BuildServiceProvider();
    }

    private IProfileServiceClient Client => _services.GetRequiredService<IProfileServiceClient>();

    public void Dispose()
    {
        _token.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task A_call_carries_its_deadline_and_one_not_answered_by_then_is_ProfileService_unavailable()
    {
        var failed = await Assert.ThrowsAsync<RpcException>(() => Client.GetMyProfileAsync(TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.DeadlineExceeded, failed.StatusCode);
        Assert.Equal(ProfileServiceFailure.Unavailable, ProfileServiceFailure.From(failed));
        // gRPC's own header: ProfileService learns how long its caller waits (300 ms, less the time to send).
        var timeout = Assert.Single(_handler.Timeouts);
        Assert.EndsWith("m", timeout, StringComparison.Ordinal);
        Assert.InRange(int.Parse(timeout[..^1], System.Globalization.CultureInfo.InvariantCulture), 1, 300);
    }

    [Fact]
    public async Task A_caller_who_gives_up_gets_OperationCanceledException_not_a_ProfileService_failure()
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var call = Client.GetProfileAsync("bob", caller.Token);
        await _handler.Sent.Task.WaitAsync(TestContext.Current.CancellationToken);
        await caller.CancelAsync();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.Equal(caller.Token, cancelled.CancellationToken);
        Assert.Null(ProfileServiceFailure.From(cancelled));
    }

    /// <summary>Takes every request and answers none: it waits until the call is given up.</summary>
    private sealed class UnansweredHandler : HttpMessageHandler
    {
        public List<string> Timeouts { get; } = [];

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Timeouts.AddRange(request.Headers.TryGetValues("grpc-timeout", out var values) ? values : []);
            Sent.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("Unreachable: the wait above ends only by cancellation.");
        }
    }
}
