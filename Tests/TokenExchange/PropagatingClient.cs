using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Net.ClientFactory;
using JwtPropagation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tests.Integration;
using ProfilesGrpc = ProfileService.Grpc.Profiles;

namespace Tests.TokenExchange;

/// <summary>
/// ServiceDefaults' token propagation, in this process, in UserService's place: with the client
/// credentials the AppHost generated for UserService, against the real identity service and
/// ProfileService, over HTTP (<see cref="Client"/>) and gRPC (<see cref="GrpcClient"/>). It
/// observes, without changing them, the exchange requests sent to the issuer and the tokens sent
/// to ProfileService.
/// </summary>
internal sealed class PropagatingClient(
    ServiceProvider services,
    ConcurrentQueue<string?> exchanges,
    ConcurrentQueue<string?> sentTokens) : IAsyncDisposable
{
    private const string ClientName = "profiles";
    private const string GrpcClientName = "profiles-grpc";
    private const string ExchangeClientName = "token-exchange";

    /// <summary>The exchange requests that went to the issuer.</summary>
    public IReadOnlyCollection<string?> Exchanges => exchanges;

    /// <summary>The bearer tokens that went to ProfileService.</summary>
    public IReadOnlyCollection<string?> SentTokens => sentTokens;

    public HttpClient Client => services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    /// <summary>ProfileService's gRPC service, always at its gRPC endpoint; the token's destination is that endpoint unless configured otherwise.</summary>
    public ProfilesGrpc.ProfilesClient GrpcClient =>
        services.GetRequiredService<GrpcClientFactory>().CreateClient<ProfilesGrpc.ProfilesClient>(GrpcClientName);

    /// <param name="clientSecret">In place of UserService's secret, for a test of a wrong one.</param>
    public static async Task<PropagatingClient> CreateAsync(
        DistributedAppFixture app, Action<TokenPropagationOptions> configure, CancellationToken cancellationToken, string? clientSecret = null)
    {
        var secret = await app.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(parameter => parameter.Name == "userservice-client-secret")
            .GetValueAsync(cancellationToken);
        var exchanges = new ConcurrentQueue<string?>();
        var sentTokens = new ConcurrentQueue<string?>();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenExchange:ClientId"] = "userservice",
            ["TokenExchange:ClientSecret"] = clientSecret ?? secret,
            ["TokenExchange:TokenEndpoint"] = new Uri(app.App.GetEndpoint("identity", "http"), "connect/token").ToString(),
        }).Build());
        services.AddHttpClient(ExchangeClientName)
            .AddHttpMessageHandler(() => new ObservingHandler(exchanges));
        services.AddHttpClient(ClientName)
            .AddTokenPropagation(options =>
            {
                options.Destination = app.App.GetEndpoint("profileservice", "http");
                options.Audience = "profileservice";
                configure(options);
            })
            .AddHttpMessageHandler(() => new ObservingHandler(sentTokens));
        var grpcEndpoint = app.App.GetEndpoint("profileservice", "grpc");
        services.AddGrpcClient<ProfilesGrpc.ProfilesClient>(GrpcClientName, client => client.Address = grpcEndpoint)
            .AddTokenPropagation(options =>
            {
                options.Destination = grpcEndpoint;
                options.Audience = "profileservice";
                configure(options);
            })
            .AddHttpMessageHandler(() => new ObservingHandler(sentTokens));

        return new PropagatingClient(services.BuildServiceProvider(), exchanges, sentTokens);
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
