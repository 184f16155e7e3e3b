using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Tests.Hosting;

/// <summary>
/// What the Hosting package hands a service, read from the app model without starting anything:
/// our own issuer (a project: discovery, its revocation feed, https only when published), an
/// issuer outside the app (a URL, a deploy-time parameter, an endpoint of the app: no feed unless
/// given one), and a service pointed at another issuer after its app host wired it.
/// </summary>
public sealed class TokenValidationWiringTests
{
    private static readonly string IdentityProject = Path.GetFullPath(
        Path.Combine(Projects.AppHost.ProjectPath, "..", "IdentityService", "IdentityService.csproj"));

    [Fact]
    public async Task A_project_issuer_is_found_by_discovery_with_its_revocation_feed_and_waited_for()
    {
        var builder = CreateBuilder();
        var (identity, service) = ProjectIssuerApp(builder);

        var environment = await EnvironmentOfAsync(builder, service.Resource);

        Assert.Equal("https+http://identity", environment["JwtValidation__Authority"]);
        Assert.Equal("https+http://identity/revocations", environment["JwtValidation__RevocationFeed"]);
        Assert.Equal("{revocation-feed-key.value}", environment["JwtValidation__RevocationFeedKey"]);
        Assert.Equal("https://issuer.example/", environment["JwtValidation__Issuer"]);
        Assert.Equal("{identity.bindings.http.url}", environment["services__identity__http__0"]);
        Assert.DoesNotContain("JwtValidation__Audience", environment.Keys);
        Assert.Equal("{revocation-feed-key.value}", (await EnvironmentOfAsync(builder, identity.Resource))["IdentityServer__RevocationFeedKey"]);
        Assert.Contains(WaitsFor(service.Resource), dependency => dependency == identity.Resource);
    }

    [Fact]
    public async Task A_project_issuer_is_reached_over_https_only_when_published()
    {
        var builder = CreateBuilder("--publisher", "manifest", "--output-path", Path.GetTempPath());
        Assert.True(builder.ExecutionContext.IsPublishMode);
        var (_, service) = ProjectIssuerApp(builder);

        var environment = await EnvironmentOfAsync(builder, service.Resource);

        Assert.Equal("https://identity", environment["JwtValidation__Authority"]);
        Assert.Equal("https://identity/revocations", environment["JwtValidation__RevocationFeed"]);
    }

    [Fact]
    public async Task An_issuer_at_a_url_gets_its_audience_algorithms_token_types_and_scope_claim_and_no_revocation_feed()
    {
        var builder = CreateBuilder();
        var entra = builder.AddTokenIssuer("entra", new Uri("https://login.microsoftonline.com/tenant-id/v2.0"))
            .WithAudience("api://orders")
            .WithAlgorithms("RS256", "PS256")
            .WithTokenTypes("JWT")
            .WithScopeClaim("scp");
        var service = builder.AddProject("orders", IdentityProject).WithTokenValidation(entra);

        var environment = await EnvironmentOfAsync(builder, service.Resource);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["JwtValidation__Authority"] = "https://login.microsoftonline.com/tenant-id/v2.0",
                ["JwtValidation__Audience"] = "api://orders",
                ["JwtValidation__ValidAlgorithms__0"] = "RS256",
                ["JwtValidation__ValidAlgorithms__1"] = "PS256",
                ["JwtValidation__TokenTypes__0"] = "JWT",
                ["JwtValidation__ScopeClaim"] = "scp",
            },
            environment.Where(setting => setting.Key.StartsWith("JwtValidation__", StringComparison.Ordinal)).ToDictionary());
        Assert.Empty(WaitsFor(service.Resource));
    }

    [Fact]
    public async Task An_issuer_given_at_deploy_time_is_a_parameter_and_a_service_may_have_its_own_audience()
    {
        var builder = CreateBuilder("--publisher", "manifest", "--output-path", Path.GetTempPath());
        var keycloak = builder.AddTokenIssuer("keycloak", builder.AddParameter("keycloak-authority"))
            .WithAudience("shared-api");
        var service = builder.AddProject("orders", IdentityProject).WithTokenValidation(keycloak, audience: "orders-api");

        var environment = await EnvironmentOfAsync(builder, service.Resource);

        Assert.Equal("{keycloak-authority.value}", environment["JwtValidation__Authority"]);
        Assert.Equal("orders-api", environment["JwtValidation__Audience"]);
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("JwtValidation__RevocationFeed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_issuer_at_an_endpoint_of_the_app_is_waited_for_and_has_a_feed_only_when_given_one()
    {
        var builder = CreateBuilder();
        var provider = builder.AddExecutable("provider", "node", ".", "server.js").WithHttpEndpoint(env: "PORT");
        var key = builder.AddParameter("provider-feed-key", secret: true);
        var tokens = builder.AddTokenIssuer("provider-tokens", provider.GetEndpoint("http"))
            .WithRevocationFeed(ReferenceExpression.Create($"{provider.GetEndpoint("http")}/revoked"), key);
        var service = builder.AddProject("orders", IdentityProject).WithTokenValidation(tokens);

        var environment = await EnvironmentOfAsync(builder, service.Resource);

        Assert.Equal("{provider.bindings.http.url}", environment["JwtValidation__Authority"]);
        Assert.Equal("{provider.bindings.http.url}/revoked", environment["JwtValidation__RevocationFeed"]);
        Assert.Equal("{provider-feed-key.value}", environment["JwtValidation__RevocationFeedKey"]);
        Assert.Equal([provider.Resource], WaitsFor(service.Resource));
        // Nothing of its own is deployed: the services carry its settings.
        Assert.Contains(ManifestPublishingCallbackAnnotation.Ignore, tokens.Resource.Annotations);
    }

    [Fact]
    public async Task A_service_pointed_at_another_issuer_keeps_none_of_the_first_ones_settings()
    {
        var builder = CreateBuilder();
        var (_, service) = ProjectIssuerApp(builder);
        var external = builder.AddTokenIssuer("external", "https://issuer.example.org/").WithAudience("urn:api");

        service.WithTokenValidation(external);
        var environment = await EnvironmentOfAsync(builder, service.Resource);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["JwtValidation__Authority"] = "https://issuer.example.org/",
                ["JwtValidation__Audience"] = "urn:api",
            },
            environment.Where(setting => setting.Key.StartsWith("JwtValidation__", StringComparison.Ordinal)).ToDictionary());
    }

    [Fact]
    public async Task A_client_registered_at_an_external_issuer_exchanges_with_its_id_and_secret_parameter()
    {
        var builder = CreateBuilder();
        var external = builder.AddTokenIssuer("external", "https://issuer.example.org/");
        var secret = builder.AddParameter("orders-secret", secret: true);
        var service = builder.AddProject("orders", IdentityProject);

        Assert.Throws<InvalidOperationException>(() => service.WithTokenExchange(external, "orders", secret));
        service.WithTokenValidation(external).WithTokenExchange(external, "orders", secret);
        var environment = await EnvironmentOfAsync(builder, service.Resource);

        Assert.Equal(("orders", "{orders-secret.value}"), (environment["TokenExchange__ClientId"], environment["TokenExchange__ClientSecret"]));
    }

    /// <summary>An app model only: never built, nothing started.</summary>
    private static IDistributedApplicationBuilder CreateBuilder(params string[] args) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = args, DisableDashboard = true });

    private static (IResourceBuilder<ProjectResource> Identity, IResourceBuilder<ProjectResource> Service) ProjectIssuerApp(IDistributedApplicationBuilder builder)
    {
        var identity = builder.AddProject("identity", IdentityProject);
        var service = builder.AddProject("orders", IdentityProject)
            .WithTokenValidation(identity, ReferenceExpression.Create($"https://issuer.example/"));
        return (identity, service);
    }

    private static IEnumerable<IResource> WaitsFor(IResource service) =>
        service.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource);

    /// <summary>
    /// The service's environment as its callbacks set it, each value as the manifest writes it
    /// (<c>{resource.bindings.http.url}</c>, <c>{parameter.value}</c>): nothing is allocated or resolved.
    /// </summary>
    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(IDistributedApplicationBuilder builder, IResource resource)
    {
        var environment = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(builder.ExecutionContext, resource, environment, TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return environment.ToDictionary(
            setting => setting.Key,
            setting => setting.Value switch
            {
                string value => value,
                IManifestExpressionProvider expression => expression.ValueExpression,
                var other => other.ToString() ?? "",
            });
    }
}
