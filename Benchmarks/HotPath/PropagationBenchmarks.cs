using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using JwtPropagation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Benchmarks.HotPath;

/// <summary>
/// The propagation handler's send path, between a request and a network that answers at once:
/// forwarding the caller's token, and exchanging it (a cache hit). The baseline sends the same
/// request without the handler, so the difference is what propagation costs (bytes included).
/// </summary>
[MemoryDiagnoser]
public class PropagationBenchmarks
{
    private static readonly Uri Destination = new("http://127.0.0.1:5200");
    private static readonly Uri Target = new(Destination, "/profiles/me");

    private ServiceProvider _services = null!;
    private IDisposable _tokenScope = null!;
    private HttpMessageInvoker _bare = null!;
    private HttpMessageInvoker _forwarding = null!;
    private HttpMessageInvoker _exchanging = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .Configure<TokenExchangeOptions>(options =>
            {
                options.ClientId = "userservice";
                options.ClientSecret = "benchmark";
                options.TokenEndpoint = new Uri("http://127.0.0.1:5100/connect/token");
            })
            .AddTokenExchange()
            .AddHttpClient(TokenExchangeClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new IssuerHandler())
            .Services
            .BuildServiceProvider();

        var subject = new CallerToken(new SampleTokens().Mint("user001"), "user001", DateTimeOffset.UtcNow.AddMinutes(15));
        _tokenScope = CallerTokenContext.Restore(subject);

        _bare = new HttpMessageInvoker(new AnsweringHandler());
        _forwarding = new HttpMessageInvoker(Handler(TokenPropagationMode.Forward));
        _exchanging = new HttpMessageInvoker(Handler(TokenPropagationMode.Exchange));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tokenScope.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true, Description = "no propagation")]
    public Task<HttpResponseMessage> Bare() => _bare.SendAsync(new HttpRequestMessage(HttpMethod.Get, Target), CancellationToken.None);

    [Benchmark(Description = "forward")]
    public Task<HttpResponseMessage> Forward() => _forwarding.SendAsync(new HttpRequestMessage(HttpMethod.Get, Target), CancellationToken.None);

    [Benchmark(Description = "exchange (cache hit)")]
    public Task<HttpResponseMessage> Exchange() => _exchanging.SendAsync(new HttpRequestMessage(HttpMethod.Get, Target), CancellationToken.None);

    private TokenPropagationHandler Handler(TokenPropagationMode mode)
    {
        var options = new TokenPropagationOptions { Destination = Destination, Mode = mode, Audience = "profileservice" };
        var handler = new TokenPropagationHandler(
            "profiles",
            options,
            new TokenDestination(Destination, trustedInternalNetwork: false, resolver: null),
            () => _services.GetRequiredService<ExchangedTokenCache>(),
            TimeSpan.FromSeconds(30),
            TimeProvider.System,
            _services.GetRequiredService<TokenMetrics>(),
            NullLogger<TokenPropagationHandler>.Instance)
        {
            InnerHandler = new AnsweringHandler(),
        };

        // Warm: the first send of an exchanging handler asks the issuer.
        new HttpMessageInvoker(handler, disposeHandler: false).SendAsync(new HttpRequestMessage(HttpMethod.Get, Target), CancellationToken.None)
            .GetAwaiter().GetResult();
        return handler;
    }

    /// <summary>The network: one answer for every request.</summary>
    private sealed class AnsweringHandler : HttpMessageHandler
    {
        private static readonly Task<HttpResponseMessage> Answer = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Answer;
    }

    /// <summary>The issuer, answering the one exchange each handler makes before it is measured.</summary>
    private sealed class IssuerHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(
                    $$"""{"access_token":"{{new SampleTokens().Mint("user001")}}","token_type":"Bearer","expires_in":900}""",
                    Encoding.UTF8,
                    "application/json"),
            });
    }
}
