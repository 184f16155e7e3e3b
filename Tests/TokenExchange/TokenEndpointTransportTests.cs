using JwtPropagation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Tests.TokenExchange;

/// <summary>An exchange sends the caller's token to the issuer: outside Development, never over plain http.</summary>
public sealed class TokenEndpointTransportTests
{
    [Fact]
    public async Task Outside_Development_a_token_endpoint_in_clear_is_refused_before_the_token_is_sent()
    {
        var sent = new SentRequests();
        await using var services = Services(Environments.Production, "http://identity.internal/connect/token", sent);
        var client = services.GetRequiredService<TokenExchangeClient>();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => client.ExchangeAsync(
            new CallerToken("caller-token", "alice", DateTimeOffset.UtcNow.AddMinutes(5)),
            ExchangeTarget.Create("profileservice", ["profiles.read"]),
            TestContext.Current.CancellationToken));

        Assert.Contains("TokenExchange:TokenEndpoint", refused.Message, StringComparison.Ordinal);
        Assert.Contains("TrustedInternalNetwork", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, sent.Count);
    }

    [Fact]
    public async Task In_Development_the_same_endpoint_is_called()
    {
        var sent = new SentRequests();
        await using var services = Services(Environments.Development, "http://identity.internal/connect/token", sent);
        var client = services.GetRequiredService<TokenExchangeClient>();

        await Assert.ThrowsAnyAsync<Exception>(() => client.ExchangeAsync(
            new CallerToken("caller-token", "alice", DateTimeOffset.UtcNow.AddMinutes(5)),
            ExchangeTarget.Create("profileservice", ["profiles.read"]),
            TestContext.Current.CancellationToken));

        Assert.Equal(1, sent.Count);
    }

    private static ServiceProvider Services(string environment, string tokenEndpoint, SentRequests sent)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        services.AddSingleton(TimeProvider.System);
        services.AddTokenExchange();
        services.Configure<TokenExchangeOptions>(options =>
        {
            options.ClientId = "userservice";
            options.ClientSecret = "a-secret";
            options.TokenEndpoint = new Uri(tokenEndpoint);
        });
        services.AddHttpClient(TokenExchangeClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => sent);
        return services.BuildServiceProvider();
    }

    /// <summary>Counts what would leave the process, and answers each with 400.</summary>
    private sealed class SentRequests : HttpMessageHandler
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.BadRequest) { RequestMessage = request });
        }
    }
}
