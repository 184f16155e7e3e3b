using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using IdentityService.KeysAtRest;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ServiceDefaults.KeysAtRest;

[assembly: AssemblyFixture(typeof(Tests.Integration.DistributedAppFixture))]

namespace Tests.Integration;

/// <summary>
/// The whole distributed application (identity, profileservice, userservice), started once for
/// the test assembly with a data directory of its own, and stopped with every process it started.
/// A test class that needs other settings derives one with <see cref="Configure"/>.
/// </summary>
public class DistributedAppFixture : IAsyncLifetime
{
    public const string Password = "Pass123$";

    /// <summary>The one Development user holding the admin roles: the only one granted <c>identity.admin</c> and <c>profiles.admin</c>.</summary>
    public const string AdminUser = "admin";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan TokenRequestTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Longer than any test uses a token it asked for (the longest run for 3 minutes).</summary>
    private static readonly TimeSpan TokenRenewalMargin = TimeSpan.FromMinutes(5);
    private static readonly string[] AllServices = ["identity", "profileservice", "userservice"];

    private readonly string _identityDataDirectory = Directory.CreateTempSubdirectory("identity-data-").FullName;
    private readonly string _jobsDataDirectory = Directory.CreateTempSubdirectory("jobs-data-").FullName;
    private readonly ConcurrentDictionary<(string User, string Scopes), Task<IssuedToken>> _tokens = new();
    private DistributedApplication? _app;
    private TokenForge? _forge;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>The AppHost's logger that checks the machine at start: the development certificate, the orchestrator.</summary>
    public const string AppHostMachineCheckCategory = "Aspire.Hosting.Dcp.DcpHost";

    /// <summary>What the AppHost logged under <see cref="AppHostMachineCheckCategory"/> since it started.</summary>
    public IReadOnlyList<FakeLogRecord> AppHostMachineCheckLog => App.Services.GetFakeLogCollector().GetSnapshot();

    /// <summary>The directory the identity service keeps its database and keys in.</summary>
    public string IdentityDataDirectory => _identityDataDirectory;

    /// <summary>The directory UserService keeps its job store in (an SQLite file), unless the app gives it PostgreSQL.</summary>
    public string JobsDataDirectory => _jobsDataDirectory;

    /// <summary>UserService's job store in PostgreSQL, a database of its own, dropped after (<see cref="JobStoreInPostgres"/>); null otherwise.</summary>
    public string? JobsDatabase { get; private set; }

    public virtual async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        if (JobStoreInPostgres && Store.PostgresServer.ConnectionString is not null)
        {
            JobsDatabase = await Store.PostgresServer.CreateDatabaseAsync("jobs_test", timeout.Token);
        }

        // With the dashboard the services export their telemetry somewhere real, as they do under
        // `dotnet run`; without it their exporters retry a missing collector and stall every stop.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, [], timeout.Token);
        var identity = builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("IdentityServer__DataDirectory", _identityDataDirectory);
        var userService = builder.CreateResourceBuilder<ProjectResource>("userservice").WithEnvironment("Exports__DataDirectory", _jobsDataDirectory);
        if (JobsDatabase is not null)
        {
            userService.WithEnvironment("ConnectionStrings__jobsdb", JobsDatabase);
        }

        // The tests' hundreds of users all call from this machine's one address, through one
        // UserService: the issuer's allowances per address and per client, made for a deployment's
        // callers, would turn them away. The hostile-load tests keep them (HostileLoadApp).
        if (!HasShippedRateLimits)
        {
            foreach (var allowance in new[] { "PerAddress", "PerClient" })
            {
                identity.WithEnvironment($"IdentityServer__RateLimits__{allowance}__Burst", "1000000")
                    .WithEnvironment($"IdentityServer__RateLimits__{allowance}__PerSecond", "1000000");
            }
        }

        // What the AppHost tells the person who runs it about their machine (its console and the
        // dashboard's notices), kept for the tests to read.
        builder.Services.AddFakeLogging(options => options.FilteredCategories.Add(AppHostMachineCheckCategory));
        // Every level of that category, so that the collector hears its checks even when they pass
        // (FirstRunTests' control), not only the warnings they would raise.
        builder.Services.AddLogging(logging => logging.AddFilter<FakeLoggerProvider>(AppHostMachineCheckCategory, LogLevel.Trace));

        // The load tests make thousands of spans and log records a second, more than the exporters'
        // default queues (2,048) hold until their next export: keep them all, as tests read them.
        foreach (var service in AllServices)
        {
            builder.CreateResourceBuilder<ProjectResource>(service)
                .WithEnvironment("OTEL_BSP_MAX_QUEUE_SIZE", "65536")
                .WithEnvironment("OTEL_BLRP_MAX_QUEUE_SIZE", "65536");
        }

        Configure(builder);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        await WaitUntilHealthyAsync(timeout.Token);
        if (StoreIsSqlite)
        {
            _forge = await CreateForgeAsync(timeout.Token);
        }
    }

    /// <summary>Whether the issuer keeps the rate limits it ships with, rather than ones no test's callers reach.</summary>
    protected virtual bool HasShippedRateLimits => false;

    /// <summary>Whether UserService keeps its job store in PostgreSQL, as deployed (where a server is configured), rather than SQLite.</summary>
    protected virtual bool JobStoreInPostgres => false;

    /// <summary>Whether the identity service keeps its store in SQLite, in <see cref="IdentityDataDirectory"/> (the AppHost's default).</summary>
    protected virtual bool StoreIsSqlite => true;

    /// <summary>The services this app waits for, at start and after each restart: all of the AppHost's, unless <see cref="Configure"/> removes some or one is not ready by design.</summary>
    protected virtual IReadOnlyList<string> Services => AllServices;

    /// <summary>Settings of this app that differ from the AppHost's.</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    /// <summary>The value of the AppHost's parameter <paramref name="name"/> (a generated secret, for one).</summary>
    public async Task<string> GetParameterValueAsync(string name, CancellationToken cancellationToken)
    {
        var parameter = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(resource => resource.Name == name);
        return await parameter.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException($"The parameter '{name}' has no value.");
    }

    /// <summary>The identity service's database, opened beside it: to read its keys, or to make rows older.</summary>
    public async Task<SqliteConnection> OpenIdentityStoreAsync(CancellationToken cancellationToken)
    {
        var store = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_identityDataDirectory, "identity.db"),
            DefaultTimeout = 30,
            Pooling = false,
        }.ToString());
        await store.OpenAsync(cancellationToken);
        return store;
    }

    /// <summary>The private key of the identity service's signing key <paramref name="keyId"/>, PEM, opened as the issuer opens it.</summary>
    public async Task<string> ReadSigningKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var store = await OpenIdentityStoreAsync(cancellationToken);
        await using var command = store.CreateCommand();
        command.CommandText = "SELECT PrivateKeyPem FROM SigningKeys WHERE Id = $id";
        command.Parameters.AddWithValue("$id", keyId);
        var sealedPem = await command.ExecuteScalarAsync(cancellationToken) as string
            ?? throw new InvalidOperationException($"The store holds no signing key {keyId}.");
        return (await GetKeyEncryptionKeyAsync(cancellationToken)).Unseal(sealedPem, SealContexts.SigningKey(keyId));
    }

    /// <summary>What the identity service seals the keys in its store with: the AppHost's generated secret.</summary>
    internal async Task<KeyEncryptionKey> GetKeyEncryptionKeyAsync(CancellationToken cancellationToken) =>
        new(await GetParameterValueAsync("key-encryption-key", cancellationToken));

    /// <summary>Signs tokens with the identity service's own key, for tokens it would never issue.</summary>
    public TokenForge Forge => _forge ?? throw new InvalidOperationException("The app has not started.");

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        _forge?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_identityDataDirectory, recursive: true);
        Directory.Delete(_jobsDataDirectory, recursive: true);
        if (JobsDatabase is not null)
        {
            await Store.PostgresServer.DropAsync(JobsDatabase);
        }
    }

    public async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        // A service being restarted passes through states that look like a failed start; wait them out.
        foreach (var service in Services)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(service, WaitBehavior.WaitOnResourceUnavailable, cancellationToken);
        }
    }

    /// <summary>
    /// What became of each of the <paramref name="count"/> instances of <paramref name="service"/>
    /// (replicas, or the one): <c>Running</c> once it is healthy, or the state it ended in.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string?>> SettledInstancesAsync(string service, int count, CancellationToken cancellationToken)
    {
        var settled = new Dictionary<string, string?>(StringComparer.Ordinal);
        await foreach (var change in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            var state = change.Snapshot.State?.Text;
            var healthy = state == KnownResourceStates.Running && change.Snapshot.HealthStatus == HealthStatus.Healthy;
            if (change.Resource.Name == service && (healthy || KnownResourceStates.TerminalStates.Contains(state))
                && settled.TryAdd(change.ResourceId, state) && settled.Count == count)
            {
                break;
            }
        }

        return settled;
    }

    /// <summary>Stops, starts or restarts a service (<c>KnownResourceCommands</c>).</summary>
    public async Task RunCommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
        Assert.True(result.Success, $"'{command}' on {resource} failed: {result.Message}");
    }

    public virtual HttpClient CreateClient(string service) => App.CreateHttpClient(service, "http");

    /// <summary>
    /// A token of <paramref name="user"/> from the identity service's development password grant;
    /// one per user and scopes, as each costs a password hash, renewed once it has less than
    /// <see cref="TokenRenewalMargin"/> to live: a slow machine's run outlasts a token's 15 minutes.
    /// </summary>
    public async Task<string> GetTokenAsync(string user, string scopes, CancellationToken cancellationToken)
    {
        var key = (user, scopes);
        var cached = _tokens.GetOrAdd(key, _ => RequestTokenAsync(user, scopes));
        var token = await cached.WaitAsync(cancellationToken);
        if (token.ExpiresAt - DateTimeOffset.UtcNow >= TokenRenewalMargin)
        {
            return token.Value;
        }

        // The first test to find it old replaces it for every test after it.
        var renewed = RequestTokenAsync(user, scopes);
        var current = _tokens.TryUpdate(key, renewed, cached) ? renewed : _tokens[key];
        return (await current.WaitAsync(cancellationToken)).Value;
    }

    /// <summary>A new token of <paramref name="user"/>, shared with no other test: for a test that needs its first use.</summary>
    public async Task<string> GetFreshTokenAsync(string user, string scopes, CancellationToken cancellationToken) =>
        (await RequestTokenAsync(user, scopes).WaitAsync(cancellationToken)).Value;

    /// <summary>A new sign-in of <paramref name="user"/> with <c>offline_access</c>: an access token that belongs to a grant, and the grant's refresh token.</summary>
    public async Task<SignIn> SignInWithRefreshTokenAsync(string user, string scopes, CancellationToken cancellationToken)
    {
        var token = await PasswordGrantAsync(user, $"{scopes} offline_access").WaitAsync(cancellationToken);
        return token is { AccessToken: { } access, RefreshToken: { } refresh }
            ? new SignIn(access, refresh)
            : throw new InvalidOperationException("The token response held no access token or refresh token.");
    }

    private async Task<IssuedToken> RequestTokenAsync(string user, string scopes)
    {
        var token = await PasswordGrantAsync(user, scopes);
        return token is { AccessToken: { } value, ExpiresIn: > 0 }
            ? new IssuedToken(value, DateTimeOffset.UtcNow.AddSeconds(token.ExpiresIn))
            : throw new InvalidOperationException("The token response held no access token or lifetime.");
    }

    // Shared by every test that asks, so bounded by its own timeout rather than one test's token.
    private async Task<TokenResponse?> PasswordGrantAsync(string user, string scopes)
    {
        using var timeout = new CancellationTokenSource(TokenRequestTimeout);
        var cancellationToken = timeout.Token;
        using var identity = CreateClient("identity");
        using var request = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "dev-cli",
            ["username"] = user,
            ["password"] = Password,
            ["scope"] = scopes,
        });

        using var response = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
    }

    /// <summary>Revokes <paramref name="token"/> at the issuer (RFC 7009, as its client dev-cli) and answers how the issuer took it.</summary>
    public async Task<HttpStatusCode> RevokeAsync(string token, CancellationToken cancellationToken)
    {
        using var identity = CreateClient("identity");
        using var response = await identity.PostAsync(new Uri("/connect/revoke", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["token_type_hint"] = "access_token",
            ["client_id"] = "dev-cli",
        }), cancellationToken);
        return response.StatusCode;
    }

    /// <summary>A client of <paramref name="service"/> that sends <paramref name="token"/>.</summary>
    public HttpClient CreateClient(string service, string token)
    {
        var client = CreateClient(service);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The <c>kid</c>s of the keys the identity service publishes now (its JWKS).</summary>
    public async Task<IReadOnlyList<string>> PublishedKeyIdsAsync(CancellationToken cancellationToken)
    {
        using var identity = CreateClient("identity");
        var discovery = await identity.GetFromJsonAsync<DiscoveryDocument>(
            new Uri("/.well-known/openid-configuration", UriKind.Relative), cancellationToken);
        // By its path: behind an https ingress the document names the ingress's https address.
        var keySet = await identity.GetFromJsonAsync<KeySet>(new Uri(discovery!.JwksUri.PathAndQuery, UriKind.Relative), cancellationToken);
        return [.. keySet!.Keys.Select(key => key.KeyId)];
    }

    private async Task<TokenForge> CreateForgeAsync(CancellationToken cancellationToken)
    {
        using var identity = CreateClient("identity");
        var discovery = await identity.GetFromJsonAsync<DiscoveryDocument>(
            new Uri("/.well-known/openid-configuration", UriKind.Relative), cancellationToken);
        // The key that signs now is published first (IdentityService's SigningKeyRing); an app that
        // rotates often may already publish the next one, or still the one before.
        var keyId = (await PublishedKeyIdsAsync(cancellationToken))[0];

        return new TokenForge(await ReadSigningKeyAsync(keyId, cancellationToken), discovery!.Issuer, keyId);
    }

    private sealed record DiscoveryDocument(
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("jwks_uri")] Uri JwksUri);

    private sealed record KeySet([property: JsonPropertyName("keys")] IReadOnlyList<KeySetKey> Keys);

    private sealed record KeySetKey([property: JsonPropertyName("kid")] string KeyId);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);

    public sealed record SignIn(string AccessToken, string RefreshToken);

    private sealed record IssuedToken(string Value, DateTimeOffset ExpiresAt);
}
