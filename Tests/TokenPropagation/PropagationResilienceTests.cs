using System.Net;
using JwtPropagation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Polly.CircuitBreaker;

namespace Tests.TokenPropagation;

/// <summary>
/// The propagation handler and the resilience pipeline every client gets from ServiceDefaults, as
/// UserService's clients have them: the handler runs once per call, in front of the pipeline, so
/// a retry sends the token it attached; and the circuit breaker opens for a destination that
/// answers 5xx, not for one that answers 503 or is slow. Over real connections to 127.0.0.1.
/// </summary>
public sealed class PropagationResilienceTests : IAsyncDisposable
{
    private const string ClientName = "profiles";
    // Past the breaker's minimum throughput (100 attempts in its sampling window), each call retried.
    private const int Calls = 120;
    private static readonly CallerToken Token = new("token-of-alice", "alice", DateTimeOffset.UtcNow.AddMinutes(5));
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private ServiceProvider? _services;

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_retried_call_carries_the_same_token_and_the_handler_runs_once()
    {
        using var timeout = Integration.TestTimeout.After(Limit);
        var attempts = 0;
        await using var destination = await TestListener.StartAsync("127.0.0.1", context =>
        {
            // A server error first, then the answer: the pipeline's retry makes the second attempt.
            context.Response.StatusCode = Interlocked.Increment(ref attempts) == 1 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        var client = CreateClient(destination.Address);
        using var outgoing = new MetricCollector<long>(
            _services!.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TokenTelemetry.SourceName, "token.outgoing_requests");

        using (CallerTokenContext.Restore(Token))
        {
            using var response = await client.GetAsync(new Uri("profiles/me", UriKind.Relative), timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(["Bearer token-of-alice", "Bearer token-of-alice"], destination.Authorizations);
        Assert.Single(outgoing.GetMeasurementSnapshot());
    }

    [Theory]
    [InlineData("503")]
    [InlineData("slow")]
    public async Task The_circuit_breaker_stays_closed_for_a_destination_that_answers_503_or_slowly(string answer)
    {
        using var timeout = Integration.TestTimeout.After(Limit);
        var (client, destination, healthy) = await StartAsync(answer);
        await using (destination)
        {
            await BurstAsync(client, timeout.Token);
            healthy.SetResult();

            using (CallerTokenContext.Restore(Token))
            {
                using var next = await client.GetAsync(new Uri("profiles/me", UriKind.Relative), timeout.Token);
                Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            }
        }
    }

    /// <summary>The control: the same burst of server errors opens the breaker, so the burst reaches it.</summary>
    [Fact]
    public async Task The_circuit_breaker_opens_for_a_destination_that_answers_500()
    {
        using var timeout = Integration.TestTimeout.After(Limit);
        var (client, destination, healthy) = await StartAsync("500");
        await using (destination)
        {
            await BurstAsync(client, timeout.Token);
            healthy.SetResult();

            using (CallerTokenContext.Restore(Token))
            {
                await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync(new Uri("profiles/me", UriKind.Relative), timeout.Token));
            }
        }
    }

    private async Task<(HttpClient Client, TestListener Destination, TaskCompletionSource Healthy)> StartAsync(string answer)
    {
        var healthy = new TaskCompletionSource();
        var destination = await TestListener.StartAsync("127.0.0.1", async context =>
        {
            if (healthy.Task.IsCompleted)
            {
                return;
            }

            switch (answer)
            {
                case "503":
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    break;
                case "500":
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    break;
                default:
                    // Longer than an attempt may take: each attempt is cut off by its time-out.
                    try
                    {
                        await Task.Delay(AttemptTimeout * 4, context.RequestAborted);
                    }
                    catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                    {
                        // The caller gave up on the attempt, as it should.
                    }

                    break;
            }
        });
        return (CreateClient(destination.Address), destination, healthy);
    }

    private static async Task BurstAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using (CallerTokenContext.Restore(Token))
        {
            await Task.WhenAll(Enumerable.Range(0, Calls).Select(async _ =>
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("profiles/me", UriKind.Relative), cancellationToken);
                }
                catch (Exception exception) when (exception is Polly.Timeout.TimeoutRejectedException or BrokenCircuitException or HttpRequestException)
                {
                    // What the burst is for: failed calls, counted by the breaker.
                }
            }));
        }
    }

    /// <summary>A client as ServiceDefaults and UserService make it: the default resilience for every client, then token propagation.</summary>
    private HttpClient CreateClient(Uri destination)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.ConfigureHttpClientDefaults(http => http.AddDefaultResilience(AttemptTimeout, TotalTimeout));
        services.AddHttpClient(ClientName).AddTokenPropagation(options => options.Destination = destination);
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
    }
}
