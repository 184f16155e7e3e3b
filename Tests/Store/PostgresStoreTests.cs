using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using Tests.Integration;

namespace Tests.Store;

/// <summary>
/// The issuer with its store in PostgreSQL, as deployed, against a real local server: the schema
/// comes from the PostgreSQL migrations, replicas of the issuer share it, and tokens are issued,
/// exchanged, revoked and refreshed as with the embedded SQLite store.
/// </summary>
public sealed class PostgresStoreTests(PostgresStoreApp app) : IClassFixture<PostgresStoreApp>
{
    private const string BothServices = "users.read profiles.read";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_schema_comes_from_the_migrations_and_holds_the_keys()
    {
        PostgresServer.SkipUnlessConfigured();
        using var timeout = TestTimeout.After(Limit);

        await using var store = new NpgsqlConnection(app.PostgresConnectionString);
        await store.OpenAsync(timeout.Token);

        Assert.True(await CountAsync(store, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\"", timeout.Token) > 0);
        Assert.Equal(1, await CountAsync(store, "SELECT COUNT(*) FROM \"SigningKeys\"", timeout.Token));
        Assert.Equal(1, await CountAsync(store, "SELECT COUNT(*) FROM \"EncryptionKeys\"", timeout.Token));
        Assert.Single(await app.PublishedKeyIdsAsync(timeout.Token));
    }

    /// <summary>Each replica adds what the database lacks in a transaction no other start-up runs beside (an advisory lock).</summary>
    [Fact]
    public async Task Issuer_replicas_started_together_on_an_empty_database_all_serve()
    {
        PostgresServer.SkipUnlessConfigured();
        using var timeout = TestTimeout.After(Limit);

        var issuers = await app.SettledInstancesAsync("identity", PostgresStoreApp.IssuerReplicas, timeout.Token);

        Assert.All(issuers, issuer => Assert.Equal(KnownResourceStates.Running, issuer.Value));
    }

    [Fact]
    public async Task A_token_is_issued_and_exchanged_and_the_user_gets_their_own_profile()
    {
        PostgresServer.SkipUnlessConfigured();
        using var timeout = TestTimeout.After(Limit);
        using var userService = app.CreateClient("userservice", await app.GetFreshTokenAsync("alice", BothServices, timeout.Token));

        var user = await userService.GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), timeout.Token);

        Assert.Equal("alice", user?.Profile.UserId);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_by_both_services_within_five_seconds()
    {
        PostgresServer.SkipUnlessConfigured();
        using var timeout = TestTimeout.After(Limit);
        var token = await app.GetFreshTokenAsync("user150", BothServices, timeout.Token);
        using var userService = app.CreateClient("userservice", token);
        using var profileService = app.CreateClient("profileservice", token);
        using (var before = await userService.GetAsync(new Uri("/users/me", UriKind.Relative), timeout.Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var revoked = await app.RevokeAsync(token, timeout.Token);
        var stopwatch = Stopwatch.StartNew();
        await Polling.UntilAsync(
            async cancellationToken =>
            {
                using var user = await userService.GetAsync(new Uri("/users/me", UriKind.Relative), cancellationToken);
                using var profile = await profileService.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
                return (user.StatusCode, profile.StatusCode);
            },
            statuses => statuses == (HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized),
            timeout.Token);

        Assert.Equal(HttpStatusCode.OK, revoked);
        Assert.True(stopwatch.Elapsed <= TimeSpan.FromSeconds(5), $"Refused only {stopwatch.Elapsed.TotalSeconds:0.0} s after the revocation.");
    }

    [Fact]
    public async Task A_refresh_token_is_rotated_and_its_reuse_is_refused()
    {
        PostgresServer.SkipUnlessConfigured();
        using var timeout = TestTimeout.After(Limit);
        using var identity = app.CreateClient("identity");
        var first = await TokenRequestAsync(identity, new()
        {
            ["grant_type"] = "password",
            ["client_id"] = "dev-cli",
            ["username"] = "user151",
            ["password"] = DistributedAppFixture.Password,
            ["scope"] = $"{BothServices} offline_access",
        }, timeout.Token);

        using var renewed = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), Refresh(first.RefreshToken!), timeout.Token);
        var second = await renewed.Content.ReadFromJsonAsync<TokenResponse>(timeout.Token);
        using var reuse = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), Refresh(first.RefreshToken!), timeout.Token);

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.NotEqual(first.RefreshToken, second?.RefreshToken);
        using var error = JsonDocument.Parse(await reuse.Content.ReadAsStringAsync(timeout.Token));
        Assert.Equal("invalid_grant", error.RootElement.GetProperty("error").GetString());
    }

    private static async Task<long> CountAsync(NpgsqlConnection store, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, store);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static FormUrlEncodedContent Refresh(string refreshToken) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "refresh_token",
        ["client_id"] = "dev-cli",
        ["refresh_token"] = refreshToken,
    });

    private static async Task<TokenResponse> TokenRequestAsync(HttpClient identity, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(form), cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!;
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);
}
