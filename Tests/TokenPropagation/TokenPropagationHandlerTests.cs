using System.Collections.Concurrent;
using System.Net;
using JwtPropagation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Tests.TokenPropagation;

public sealed class TokenPropagationHandlerTests : IDisposable
{
    private const string ClientName = "profiles";
    private static readonly TimeSpan ClockSkew = new JwtValidationOptions().ClockSkew;
    private static readonly Uri Destination = new("https://profiles.test");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RecordingHandler _network = new();
    private readonly ServiceProvider _services;

    public TokenPropagationHandlerTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddLogging();
        services.AddMetrics();
        services.AddHttpClient(ClientName)
            .AddTokenPropagation(options => options.Destination = Destination)
            .ConfigurePrimaryHttpMessageHandler(() => _network);
        services.AddHttpClient("anonymous-allowed")
            .AddTokenPropagation(options =>
            {
                options.Destination = Destination;
                options.RequireToken = false;
            })
            .ConfigurePrimaryHttpMessageHandler(() => _network);
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Attaches_the_token_of_the_current_flow()
    {
        using (CallerTokenContext.Restore(Token("alice")))
        {
            await Send(ClientName);
        }

        Assert.Equal(["Bearer token-of-alice"], _network.Authorizations);
    }

    [Fact]
    public async Task Without_a_current_token_the_call_fails_and_is_not_sent()
    {
        var error = await Assert.ThrowsAsync<MissingCallerTokenException>(() => Send(ClientName));

        Assert.Equal(ClientName, error.ClientName);
        Assert.Contains($"'{ClientName}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(_network.Requests);
    }

    [Fact]
    public void A_synchronous_send_is_refused_and_not_sent_even_with_a_token()
    {
        using (CallerTokenContext.Restore(Token("alice")))
        {
            using var client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/profiles/me");

            var error = Assert.Throws<NotSupportedException>(() => client.Send(request, TestContext.Current.CancellationToken));

            Assert.Contains($"'{ClientName}'", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(_network.Requests);
    }

    [Fact]
    public void Adding_propagation_twice_to_a_client_adds_its_handler_once()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddHttpClient("twice")
            .AddTokenPropagation(options => options.Destination = Destination)
            .AddTokenPropagation(options => options.Destination = Destination);
        using var provider = services.BuildServiceProvider();
        var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("twice");

        Assert.Single(Chain(handler).OfType<TokenPropagationHandler>());
    }

    [Fact]
    public async Task A_client_that_opted_out_calls_anonymously_without_a_token()
    {
        await Send("anonymous-allowed");

        Assert.Equal([null], _network.Authorizations);
    }

    [Fact]
    public async Task No_token_survives_from_one_flow_to_the_next()
    {
        using (CallerTokenContext.Restore(Token("alice")))
        {
            await Send(ClientName);
        }

        using (CallerTokenContext.Restore(Token("bob")))
        {
            await Send(ClientName);
        }

        await Assert.ThrowsAsync<MissingCallerTokenException>(() => Send(ClientName));
        Assert.Equal(["Bearer token-of-alice", "Bearer token-of-bob"], _network.Authorizations);
    }

    [Fact]
    public async Task Concurrent_flows_of_different_users_each_send_their_own_token()
    {
        var users = Enumerable.Range(1, 200).Select(number => $"user{number:000}").ToArray();

        await Task.WhenAll(users.Select(user => Task.Run(async () =>
        {
            using (CallerTokenContext.Restore(Token(user)))
            {
                await Task.Yield();
                await Send(ClientName, user);
            }
        })));

        Assert.Equal(users.Length, _network.Requests.Count);
        Assert.All(_network.Requests, request => Assert.Equal($"Bearer token-of-{request.Path}", request.Authorization));
    }

    [Fact]
    public async Task A_token_past_its_expiry_and_the_clock_skew_is_not_sent()
    {
        var token = Token("alice");
        _time.SetUtcNow(token.ExpiresAt + ClockSkew + TimeSpan.FromSeconds(1));

        using (CallerTokenContext.Restore(token))
        {
            var error = await Assert.ThrowsAsync<CallerTokenExpiredException>(() => Send(ClientName));
            Assert.Equal(token.ExpiresAt, error.ExpiredAt);
        }

        Assert.Empty(_network.Requests);
    }

    [Fact]
    public async Task A_token_within_the_clock_skew_after_expiry_is_still_sent_as_the_receiver_accepts_it()
    {
        var token = Token("alice");
        _time.SetUtcNow(token.ExpiresAt + ClockSkew - TimeSpan.FromSeconds(1));

        using (CallerTokenContext.Restore(token))
        {
            await Send(ClientName);
        }

        Assert.Equal(["Bearer token-of-alice"], _network.Authorizations);
    }

    private CallerToken Token(string user) => new($"token-of-{user}", user, _time.GetUtcNow().AddMinutes(5));

    private async Task Send(string clientName, string path = "me")
    {
        using var client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Stands in for the network: records what each request carried.</summary>
    private static IEnumerable<HttpMessageHandler> Chain(HttpMessageHandler outermost)
    {
        for (HttpMessageHandler? handler = outermost; handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            yield return handler;
        }
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public ConcurrentQueue<(string Path, string? Authorization)> Requests { get; } = new();

        public IEnumerable<string?> Authorizations => Requests.Select(request => request.Authorization);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));

        // As a real network would, it answers synchronous sends too: a handler in front must stop them.
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue((request.RequestUri!.AbsolutePath.TrimStart('/'), request.Headers.Authorization?.ToString()));
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
