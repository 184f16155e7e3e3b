using System.Net;
using System.Net.Http.Json;

namespace Tests.Integration;

/// <summary>
/// UserService calls ProfileService on the caller's behalf, through service discovery.
/// Run over each transport to ProfileService: HTTP on the shared app, gRPC on <see cref="GrpcTransportApp"/>.
/// </summary>
public abstract class UserServiceTests(DistributedAppFixture app)
{
    private const string BothServices = "users.read profiles.read";

    [Fact]
    public async Task Alice_gets_her_own_profile_fetched_from_ProfileService()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("alice", BothServices, cancellationToken));

        var user = await client.GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), cancellationToken);

        Assert.NotNull(user);
        Assert.Equal("alice", user.UserId);
        Assert.Equal(new ProfileBody("alice", "Alice Liddell", "alice@example.com", "Research"), user.Profile);
    }

    [Fact]
    public async Task Bob_asking_for_alice_gets_ProfileServices_403_as_problem_details()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("bob", BothServices, cancellationToken));

        using var response = await client.GetAsync(new Uri("/users/alice", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Problem>(cancellationToken);
        Assert.Equal(403, problem?.Status);
    }

    [Fact]
    public async Task The_admin_scope_reads_other_profiles_and_an_unknown_user_is_404()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = app.CreateClient("userservice", await app.GetTokenAsync(DistributedAppFixture.AdminUser, $"{BothServices} profiles.admin", cancellationToken));

        var bob = await client.GetFromJsonAsync<UserProfile>(new Uri("/users/bob", UriKind.Relative), cancellationToken);
        using var unknown = await client.GetAsync(new Uri("/users/nobody", UriKind.Relative), cancellationToken);

        Assert.Equal("bob", bob?.Profile.UserId);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Without_the_admin_scope_ProfileService_refuses_other_users_before_looking_them_up()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = app.CreateClient("profileservice", await app.GetTokenAsync("bob", "profiles.read", cancellationToken));

        using var own = await client.GetAsync(new Uri("/profiles/bob", UriKind.Relative), cancellationToken);
        using var other = await client.GetAsync(new Uri("/profiles/alice", UriKind.Relative), cancellationToken);
        using var unknown = await client.GetAsync(new Uri("/profiles/nobody", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
    }

    [Fact]
    public async Task A_token_the_issuer_no_longer_exchanges_comes_back_as_401_problem_details()
    {
        // Expired 10 s ago: within the 30 s clock skew UserService allows, but the issuer exchanges
        // only unexpired tokens, so the call to ProfileService cannot be made on the user's behalf.
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = app.Forge.Mint("alice", ["userservice"], DateTimeOffset.UtcNow.AddMinutes(-5).AddSeconds(-10), TimeSpan.FromMinutes(5), "users.read");
        using var client = app.CreateClient("userservice", token);

        using var response = await client.GetAsync(new Uri("/users/me", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Problem>(cancellationToken);
        Assert.Equal("token exchange refused", problem?.Title);
    }

    private sealed record Problem(int Status, string Title);
}

public sealed class UserServiceOverHttpTests(DistributedAppFixture app) : UserServiceTests(app);

[Collection(typeof(GrpcTransport))]
public sealed class UserServiceOverGrpcTests(GrpcTransportApp app) : UserServiceTests(app);
