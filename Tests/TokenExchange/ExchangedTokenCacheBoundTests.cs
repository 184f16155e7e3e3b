using System.Net;
using System.Text;
using JwtPropagation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Tests.TokenExchange;

/// <summary>
/// The exchange cache keeps at most <see cref="TokenExchangeOptions.CacheSize"/> exchanged tokens
/// (10,000 unless configured): a flood of distinct callers' tokens cannot grow it past that.
/// </summary>
public sealed class ExchangedTokenCacheBoundTests
{
    [Fact]
    public async Task At_most_10000_exchanged_tokens_are_kept_by_default()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var cacheSize = new TokenExchangeOptions().CacheSize;
        Assert.Equal(10_000, cacheSize);
        await using var services = Services();
        var cache = services.GetRequiredService<ExchangedTokenCache>();
        var target = ExchangeTarget.Create("profileservice", ["profiles.read"]);
        var callers = Enumerable.Range(0, cacheSize + 500)
            .Select(number => new CallerToken($"caller-token-{number}", $"user{number}", DateTimeOffset.UtcNow.AddMinutes(15)))
            .ToList();
        foreach (var caller in callers)
        {
            await cache.GetAsync(caller, target, cancellationToken);
        }

        // Each caller's token once more: a kept exchange is a hit, any other a new exchange.
        using var lookups = new MetricCollector<long>(
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TokenTelemetry.SourceName, "token.exchange.cache_lookups");
        foreach (var caller in callers)
        {
            await cache.GetAsync(caller, target, cancellationToken);
        }

        var hits = lookups.GetMeasurementSnapshot().Count(lookup => Equals(lookup.Tags[TokenTelemetry.ExchangeCache], "hit"));
        Assert.InRange(hits, 1, cacheSize);
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        services.AddSingleton(TimeProvider.System);
        services.AddTokenExchange();
        // The issuer, in process: every exchange answered at once with a token of its own.
        services.AddHttpClient(TokenExchangeClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new InstantIssuer());
        services.Configure<TokenExchangeOptions>(options =>
        {
            options.ClientId = "userservice";
            options.ClientSecret = "a-secret";
            options.TokenEndpoint = new Uri("http://127.0.0.1:9/connect/token");
        });
        return services.BuildServiceProvider();
    }

    private sealed class InstantIssuer : HttpMessageHandler
    {
        private int _issued;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                RequestMessage = request,
                Content = new StringContent(
                    $$"""{"access_token":"exchanged-{{Interlocked.Increment(ref _issued)}}","token_type":"Bearer","expires_in":300,"issued_token_type":"urn:ietf:params:oauth:token-type:access_token"}""",
                    Encoding.UTF8,
                    "application/json"),
            });
    }
}
