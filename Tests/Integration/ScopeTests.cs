using System.Net;
using System.Net.Http.Json;

namespace Tests.Integration;

/// <summary>
/// A valid token that grants too little is answered 403 insufficient_scope, naming the scope it lacks.
/// Run over each transport to ProfileService: HTTP on the shared app, gRPC on <see cref="GrpcTransportApp"/>.
/// </summary>
public abstract class ScopeTests(DistributedAppFixture app)
{
    [Fact]
    public async Task UserService_asks_for_users_read()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = app.Forge.Mint("alice", ["userservice"], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), "profiles.read");
        using var client = app.CreateClient("userservice", token);

        using var response = await client.GetAsync(new Uri("/users/me", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"users.read\"", $"{challenge.Scheme} {challenge.Parameter}");
    }

    [Fact]
    public async Task ProfileService_asks_for_profiles_admin_to_read_another_users_profile()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = app.CreateClient("profileservice", await app.GetTokenAsync("bob", "profiles.read", cancellationToken));

        using var response = await client.GetAsync(new Uri("/profiles/alice", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"profiles.admin\"", $"{challenge.Scheme} {challenge.Parameter}");
    }

    [Fact]
    public async Task ProfileService_asks_for_profiles_read_even_of_a_token_addressed_to_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = app.CreateClient("profileservice", await app.GetTokenAsync(DistributedAppFixture.AdminUser, "profiles.admin", cancellationToken));

        using var response = await client.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"profiles.read\"", $"{challenge.Scheme} {challenge.Parameter}");
    }

    [Fact]
    public async Task A_user_who_granted_users_read_alone_gets_a_403_from_UserService_naming_profiles_read()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("alice", "users.read", cancellationToken));

        using var response = await client.GetAsync(new Uri("/users/me", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"profiles.read\"", $"{challenge.Scheme} {challenge.Parameter}");
        var problem = await response.Content.ReadFromJsonAsync<Problem>(cancellationToken);
        Assert.Contains("'profiles.read'", problem?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserService_passes_on_which_scope_ProfileService_asked_for()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("bob", "users.read profiles.read", cancellationToken));

        using var response = await client.GetAsync(new Uri("/users/alice", UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"profiles.admin\"", $"{challenge.Scheme} {challenge.Parameter}");
    }

    private sealed record Problem(int Status, string Title, string Detail);
}

public sealed class ScopeOverHttpTests(DistributedAppFixture app) : ScopeTests(app);

[Collection(typeof(GrpcTransport))]
public sealed class ScopeOverGrpcTests(GrpcTransportApp app) : ScopeTests(app);
