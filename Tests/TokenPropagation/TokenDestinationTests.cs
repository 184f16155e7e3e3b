using JwtPropagation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;

namespace Tests.TokenPropagation;

/// <summary>A token goes to its client's destination and nowhere else, over real connections.</summary>
public sealed class TokenDestinationTests : IAsyncDisposable
{
    private const string ClientName = "profiles";
    private static readonly CallerToken Token = new("token-of-alice", "alice", DateTimeOffset.UtcNow.AddMinutes(5));

    private ServiceProvider? _services;

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_request_to_another_destination_goes_without_the_token_and_is_counted_as_refused()
    {
        await using var destination = await TestListener.StartAsync("127.0.0.1");
        await using var elsewhere = await TestListener.StartAsync("127.0.0.2");
        var client = CreateClient(options => options.Destination = destination.Address);
        using var outgoing = OutgoingRequests();

        using (CallerTokenContext.Restore(Token))
        {
            using var response = await client.GetAsync(elsewhere.Address, TestContext.Current.CancellationToken);
        }

        Assert.Equal([null], elsewhere.Authorizations);
        Assert.Empty(destination.Authorizations);
        var outcome = Assert.Single(outgoing.GetMeasurementSnapshot());
        Assert.Equal("refused", outcome.Tags[TokenTelemetry.Outcome]);
    }

    [Fact]
    public async Task In_strict_mode_a_request_to_another_destination_fails_and_is_not_sent()
    {
        await using var destination = await TestListener.StartAsync("127.0.0.1");
        await using var elsewhere = await TestListener.StartAsync("127.0.0.2");
        var client = CreateClient(options =>
        {
            options.Destination = destination.Address;
            options.StrictDestination = true;
        });

        using (CallerTokenContext.Restore(Token))
        {
            await Assert.ThrowsAsync<TokenDestinationRefusedException>(
                () => client.GetAsync(elsewhere.Address, TestContext.Current.CancellationToken));
        }

        Assert.Empty(elsewhere.Authorizations);
    }

    [Fact]
    public async Task A_redirect_to_another_host_does_not_carry_the_token()
    {
        await using var elsewhere = await TestListener.StartAsync("127.0.0.2");
        await using var destination = await TestListener.StartAsync("127.0.0.1", context =>
        {
            context.Response.Redirect(new Uri(elsewhere.Address, "landing").ToString());
            return Task.CompletedTask;
        });
        var client = CreateClient(options => options.Destination = destination.Address);

        using (CallerTokenContext.Restore(Token))
        {
            using var response = await client.GetAsync(new Uri("start", UriKind.Relative), TestContext.Current.CancellationToken);
        }

        Assert.Equal(["Bearer token-of-alice"], destination.Authorizations);
        Assert.Equal([null], elsewhere.Authorizations);
    }

    [Fact]
    public async Task Plain_http_to_a_host_off_the_machine_fails_unless_the_network_is_marked_trusted()
    {
        var destination = new Uri("http://profiles.internal.test");
        var network = new RecordingNetwork();
        var untrusted = CreateClient(options => options.Destination = destination, network);

        using (CallerTokenContext.Restore(Token))
        {
            await Assert.ThrowsAsync<TokenDestinationRefusedException>(
                () => untrusted.GetAsync(new Uri("profiles/me", UriKind.Relative), TestContext.Current.CancellationToken));
        }

        Assert.Empty(network.Authorizations);

        await _services!.DisposeAsync();
        var trusted = CreateClient(options =>
        {
            options.Destination = destination;
            options.TrustedInternalNetwork = true;
        }, network);

        using (CallerTokenContext.Restore(Token))
        {
            using var response = await trusted.GetAsync(new Uri("profiles/me", UriKind.Relative), TestContext.Current.CancellationToken);
        }

        Assert.Equal(["Bearer token-of-alice"], network.Authorizations);
    }

    private HttpClient CreateClient(Action<TokenPropagationOptions> configure, HttpMessageHandler? network = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        var client = services.AddHttpClient(ClientName).AddTokenPropagation(configure);
        if (network is not null)
        {
            client.ConfigurePrimaryHttpMessageHandler(() => network);
        }

        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
    }

    private MetricCollector<long> OutgoingRequests() => new(
        _services!.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
        TokenTelemetry.SourceName,
        "token.outgoing_requests");

    /// <summary>Stands in for a network that is not there: records what would have been sent.</summary>
    private sealed class RecordingNetwork : HttpMessageHandler
    {
        public List<string?> Authorizations { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorizations.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
