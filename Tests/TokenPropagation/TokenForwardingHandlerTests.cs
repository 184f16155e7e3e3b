using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Tests.TokenPropagation;

public sealed class TokenForwardingHandlerTests : IDisposable
{
    private const string ClientName = "profiles";

    private readonly RecordingHandler _network = new();
    private readonly ServiceProvider _services;

    public TokenForwardingHandlerTests()
    {
        var services = new ServiceCollection();
        services.AddHttpClient(ClientName, client => client.BaseAddress = new Uri("http://profiles.test"))
            .AddTokenForwarding()
            .ConfigurePrimaryHttpMessageHandler(() => _network);
        services.AddHttpClient("anonymous-allowed", client => client.BaseAddress = new Uri("http://profiles.test"))
            .AddTokenForwarding(options => options.RequireToken = false)
            .ConfigurePrimaryHttpMessageHandler(() => _network);
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Attaches_the_token_of_the_current_request()
    {
        await AsRequestOf(Token("alice"), () => Send(ClientName));

        var sent = Assert.Single(_network.Authorizations);
        Assert.Equal("Bearer token-of-alice", sent);
    }

    [Fact]
    public async Task Without_a_current_token_the_call_fails_and_is_not_sent()
    {
        var error = await Assert.ThrowsAsync<MissingAccessTokenException>(() => Send(ClientName));

        Assert.Equal(ClientName, error.ClientName);
        Assert.Contains($"'{ClientName}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(_network.Authorizations);
    }

    [Fact]
    public async Task An_authenticated_request_without_a_validated_token_is_refused_too()
    {
        await Assert.ThrowsAsync<MissingAccessTokenException>(() => AsRequestOf(token: null, () => Send(ClientName)));

        Assert.Empty(_network.Authorizations);
    }

    [Fact]
    public async Task A_client_that_opted_out_calls_anonymously_without_a_token()
    {
        await Send("anonymous-allowed");

        Assert.Equal([null], _network.Authorizations);
    }

    [Fact]
    public async Task No_token_survives_from_one_request_to_the_next()
    {
        await AsRequestOf(Token("alice"), () => Send(ClientName));
        await AsRequestOf(Token("bob"), () => Send(ClientName));
        await Assert.ThrowsAsync<MissingAccessTokenException>(() => Send(ClientName));

        Assert.Equal(["Bearer token-of-alice", "Bearer token-of-bob"], _network.Authorizations);
    }

    [Fact]
    public async Task Concurrent_requests_of_different_users_each_send_their_own_token()
    {
        var users = Enumerable.Range(1, 200).Select(number => $"user{number:000}").ToArray();

        await Task.WhenAll(users.Select(user => Task.Run(() => AsRequestOf(Token(user), async () =>
        {
            await Task.Yield();
            await Send(ClientName, user);
        }))));

        Assert.Equal(users.Length, _network.Requests.Count);
        Assert.All(_network.Requests, request => Assert.Equal($"Bearer token-of-{request.Path}", request.Authorization));
    }

    private static AccessToken Token(string user) =>
        new($"token-of-{user}", user, DateTimeOffset.UtcNow.AddMinutes(5));

    /// <summary>Runs <paramref name="work"/> the way a request's code runs: with its own HttpContext.</summary>
    private async Task AsRequestOf(AccessToken? token, Func<Task> work)
    {
        var context = new DefaultHttpContext();
        if (token is not null)
        {
            context.Features.Set(token);
        }

        var accessor = _services.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = context;
        try
        {
            await work();
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    private async Task Send(string clientName, string path = "me")
    {
        using var client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Stands in for the network: records what each request carried.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public ConcurrentQueue<(string Path, string? Authorization)> Requests { get; } = new();

        public IEnumerable<string?> Authorizations => Requests.Select(request => request.Authorization);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue((request.RequestUri!.AbsolutePath.TrimStart('/'), request.Headers.Authorization?.ToString()));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
