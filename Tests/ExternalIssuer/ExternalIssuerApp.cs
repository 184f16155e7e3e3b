using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.ExternalIssuer;

/// <summary>
/// The app with an issuer written by others: oidc-provider (ExternalIssuer/server.js) on the
/// machine's Node.js, and UserService and ProfileService told by configuration alone to trust it
/// instead of the identity service: its authority and issuer, the audience it issues their tokens
/// for, no revocation feed, and UserService forwarding the caller's token as it is. The identity
/// service still runs (the app model starts it) but no service trusts it.
/// </summary>
public sealed class ExternalIssuerApp : DistributedAppFixture
{
    public const string Provider = "oidc-provider";

    /// <summary>The public client the tests sign users in with.</summary>
    public const string ClientId = "tests";

    /// <summary>Where the provider sends the browser back with a code: nothing listens there, the code is read from the redirect.</summary>
    public const string RedirectUri = "http://127.0.0.1/callback";

    /// <summary>
    /// The resource both services are to the provider, and so the audience of its tokens: a token
    /// UserService forwards must be one ProfileService accepts too, and oidc-provider gives a
    /// token one audience.
    /// </summary>
    public const string ApiResource = "urn:jwt-propagation:api";

    /// <summary>A resource neither service is: its tokens are valid, for another audience.</summary>
    public const string ReportsResource = "urn:jwt-propagation:reports";

    public const string ApiScopes = "users.read profiles.read";

    /// <summary>The services that validate the provider's tokens.</summary>
    public static readonly IReadOnlyList<string> Validators = ["userservice", "profileservice"];

    private static readonly string ProviderDirectory = Path.GetFullPath(Path.Combine(Projects.AppHost.ProjectPath, "..", "ExternalIssuer"));

    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("external-issuer-").FullName;
    private TokenForge? _providerForge;

    /// <summary>The provider's issuer identifier, which is also its URL (no trailing slash, as the provider names itself).</summary>
    public string Issuer => App.GetEndpoint(Provider, "http").GetLeftPart(UriPartial.Authority);

    /// <summary>Signs tokens with the provider's own key, for tokens it would never issue (an expired one).</summary>
    public TokenForge ProviderForge => _providerForge ?? throw new InvalidOperationException("The app has not started.");

    private string SigningKeyFile => Path.Combine(_keyDirectory, "signing-key.json");

    public override async ValueTask InitializeAsync()
    {
        if (!Directory.Exists(Path.Combine(ProviderDirectory, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException($"oidc-provider is not installed: run 'npm ci --prefix {ProviderDirectory}' first (building Tests does).");
        }

        await base.InitializeAsync();
        _providerForge = await CreateProviderForgeAsync();
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        // The full path of server.js on the command line, so .ci/run's clean-up finds the process should a run be cut short.
        var provider = builder.AddExecutable(Provider, "node", ProviderDirectory, Path.Combine(ProviderDirectory, "server.js"))
            .WithHttpEndpoint(env: "PORT", isProxied: false)
            .WithHttpHealthCheck("/.well-known/openid-configuration");
        var issuer = provider.GetEndpoint("http");
        provider
            .WithEnvironment("ISSUER", issuer)
            .WithEnvironment("ACCOUNTS", "alice,bob,user042")
            .WithEnvironment("CLIENT_ID", ClientId)
            .WithEnvironment("REDIRECT_URI", RedirectUri)
            .WithEnvironment("RESOURCES", JsonSerializer.Serialize(new Dictionary<string, string>
            {
                [ApiResource] = $"{ApiScopes} profiles.admin",
                // The same scopes: a token for it differs from one for the API by its audience alone.
                [ReportsResource] = ApiScopes,
            }))
            .WithEnvironment("SIGNING_KEY_FILE", SigningKeyFile);

        foreach (var service in Validators)
        {
            builder.CreateResourceBuilder<ProjectResource>(service)
                .WaitFor(provider)
                .WithEnvironment("JwtValidation__Authority", issuer)
                .WithEnvironment("JwtValidation__Issuer", issuer)
                .WithEnvironment("JwtValidation__Audience", ApiResource)
                // The app host wires the identity service's feed (WithTokenValidation): this issuer has none.
                .WithEnvironment(context =>
                {
                    context.EnvironmentVariables.Remove("JwtValidation__RevocationFeed");
                    context.EnvironmentVariables.Remove("JwtValidation__RevocationFeedKey");
                });
        }

        builder.CreateResourceBuilder<ProjectResource>("userservice")
            .WithEnvironment("ProfileService__Mode", "Forward");
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            _providerForge?.Dispose();
            await base.DisposeAsync();
        }
        finally
        {
            Directory.Delete(_keyDirectory, recursive: true);
        }
    }

    private async Task<TokenForge> CreateProviderForgeAsync()
    {
        var key = JsonSerializer.Deserialize<SigningKey>(await File.ReadAllTextAsync(SigningKeyFile), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("The provider wrote no signing key.");
        return new TokenForge(key.Pem, Issuer, key.Kid);
    }

    private sealed record SigningKey(string Kid, string Pem);
}
