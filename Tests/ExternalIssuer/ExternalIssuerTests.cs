using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tests.Hostile;
using Tests.Integration;

namespace Tests.ExternalIssuer;

/// <summary>
/// With an issuer written by others (oidc-provider, <see cref="ExternalIssuerApp"/>) and nothing but
/// configuration changed, UserService and ProfileService accept its users' tokens, UserService
/// forwards them, ProfileService validates them again, and the hostile basics are still refused.
/// Its own app, after the tests of the shared one.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class ExternalIssuerTests(ExternalIssuerApp app) : IClassFixture<ExternalIssuerApp>
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    /// <summary>Where each service answers with the caller's own profile.</summary>
    private static readonly Dictionary<string, string> OwnProfile = new()
    {
        ["userservice"] = "/users/me",
        ["profileservice"] = "/profiles/me",
    };

    public static TheoryData<string, string> HostileCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in ExternalIssuerApp.Validators)
        {
            foreach (var hostile in new[] { "alg none", "wrong audience", "expired", "unknown kid" })
            {
                data.Add(service, hostile);
            }
        }

        return data;
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("bob")]
    [InlineData("user042")]
    public async Task A_users_token_from_the_provider_gets_their_own_profile_through_UserService(string user)
    {
        using var timeout = TestTimeout.After(Limit);
        var token = await SignInAsync(user, ExternalIssuerApp.ApiResource, timeout.Token);
        using var userService = app.CreateClient("userservice", token);

        var answer = await userService.GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), timeout.Token);

        // The provider's own token, as it issues them; UserService forwarded it, ProfileService read its subject.
        var jwt = new JsonWebToken(token);
        Assert.Equal((app.Issuer, "RS256", "at+jwt", user), (jwt.Issuer, jwt.Alg, jwt.Typ, jwt.Subject));
        Assert.Equal([ExternalIssuerApp.ApiResource], jwt.Audiences);
        Assert.Equal(user, answer?.UserId);
        Assert.Equal(user, answer?.Profile.UserId);
    }

    [Fact]
    public async Task ProfileService_accepts_the_providers_token_itself()
    {
        using var timeout = TestTimeout.After(Limit);
        using var profileService = app.CreateClient("profileservice", await SignInAsync("alice", ExternalIssuerApp.ApiResource, timeout.Token));

        var profile = await profileService.GetFromJsonAsync<ProfileBody>(new Uri("/profiles/me", UriKind.Relative), timeout.Token);

        Assert.Equal("alice", profile?.UserId);
    }

    [Theory]
    [InlineData(ExternalIssuerApp.ApiScopes, HttpStatusCode.Forbidden)]
    [InlineData($"{ExternalIssuerApp.ApiScopes} profiles.admin", HttpStatusCode.OK)]
    public async Task The_scopes_the_provider_granted_decide_who_may_read_another_users_profile(string scopes, HttpStatusCode expected)
    {
        using var timeout = TestTimeout.After(Limit);
        var token = await ProviderSignIn.GetAccessTokenAsync(app.Issuer, "alice", ExternalIssuerApp.ApiResource, scopes, timeout.Token);
        using var userService = app.CreateClient("userservice", token);

        using var response = await userService.GetAsync(new Uri("/users/bob", UriKind.Relative), timeout.Token);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("userservice")]
    [InlineData("profileservice")]
    public async Task A_token_signed_with_the_providers_key_for_the_api_is_accepted(string service)
    {
        // The control for the expired case: the forge's tokens are valid unless made otherwise.
        using var timeout = TestTimeout.After(Limit);
        var token = app.ProviderForge.Mint("alice", [ExternalIssuerApp.ApiResource], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), ExternalIssuerApp.ApiScopes);
        using var client = app.CreateClient(service, token);

        using var response = await client.GetAsync(new Uri(OwnProfile[service], UriKind.Relative), timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(HostileCases))]
    public async Task A_hostile_token_is_refused_with_401_invalid_token(string service, string hostile)
    {
        using var timeout = TestTimeout.After(Limit);
        using var client = app.CreateClient(service, await CreateAsync(hostile, timeout.Token));

        using var response = await client.GetAsync(new Uri(OwnProfile[service], UriKind.Relative), timeout.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("userservice")]
    [InlineData("profileservice")]
    public async Task A_token_of_the_identity_service_is_no_longer_trusted(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        using var client = app.CreateClient(service, await app.GetTokenAsync("alice", ExternalIssuerApp.ApiScopes, timeout.Token));

        using var response = await client.GetAsync(new Uri(OwnProfile[service], UriKind.Relative), timeout.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("userservice")]
    [InlineData("profileservice")]
    public async Task A_service_is_given_the_providers_settings_by_the_package_and_no_revocation_feed_and_is_ready(string service)
    {
        using var timeout = TestTimeout.After(Limit);
        var resource = app.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(candidate => candidate.Name == service);
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(app.App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, timeout.Token);
        using var client = app.CreateClient(service);

        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative), timeout.Token);

        string Setting(string key) => configuration.EnvironmentVariables.Single(variable => variable.Key == key).Value;
        Assert.Equal(
            (app.Issuer, app.Issuer, ExternalIssuerApp.ApiResource),
            (Setting("JwtValidation__Authority"), Setting("JwtValidation__Issuer"), Setting("JwtValidation__Audience")));
        Assert.DoesNotContain(configuration.EnvironmentVariables, variable => variable.Key.StartsWith("JwtValidation__RevocationFeed", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private Task<string> SignInAsync(string user, string resource, CancellationToken cancellationToken) =>
        ProviderSignIn.GetAccessTokenAsync(app.Issuer, user, resource, ExternalIssuerApp.ApiScopes, cancellationToken);

    private async Task<string> CreateAsync(string hostile, CancellationToken cancellationToken) => hostile switch
    {
        "alg none" => Unsigned(await SignInAsync("alice", ExternalIssuerApp.ApiResource, cancellationToken)),
        // A token the provider issued to the same user with the same scopes, for another resource.
        "wrong audience" => await SignInAsync("alice", ExternalIssuerApp.ReportsResource, cancellationToken),
        // Expired by more than the 30 s clock skew the services allow.
        "expired" => app.ProviderForge.Mint(
            "alice", [ExternalIssuerApp.ApiResource], DateTimeOffset.UtcNow.AddMinutes(-20), TimeSpan.FromMinutes(15), ExternalIssuerApp.ApiScopes),
        "unknown kid" => SignedWithAKeyTheProviderDoesNotPublish(),
        _ => throw new ArgumentOutOfRangeException(nameof(hostile), hostile, "Not a hostile case."),
    };

    /// <summary>The provider's token with its header saying <c>alg: none</c> and its signature dropped.</summary>
    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        var jwt = new RawJwt();
        foreach (var (name, value) in Decode(parts[0]))
        {
            jwt.Header[name] = value;
        }

        foreach (var (name, value) in Decode(parts[1]))
        {
            jwt.Payload[name] = value;
        }

        jwt.Header["alg"] = "none";
        return jwt.WithSignature(string.Empty);
    }

    private static Dictionary<string, JsonElement> Decode(string part) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(part))
        ?? throw new InvalidOperationException("Not a JSON object.");

    private string SignedWithAKeyTheProviderDoesNotPublish()
    {
        using var rsa = RSA.Create(2048);
        using var forge = new TokenForge(rsa.ExportPkcs8PrivateKeyPem(), app.Issuer, keyId: "not-published-by-the-provider");
        return forge.Mint("alice", [ExternalIssuerApp.ApiResource], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), ExternalIssuerApp.ApiScopes);
    }
}
