using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Tests.Integration;

/// <summary>
/// The issuer's store stays bounded: what can no longer be used is pruned, and nothing a service
/// still needs to refuse a token goes with it. Time is moved on in the store itself (its rows made
/// older), the only clock a pruning reads. Alone, since it ages and prunes rows of the shared store.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class StorePruningTests(DistributedAppFixture app)
{
    private const int Logins = 40;

    // Older than any token lifetime the issuer gives (refresh tokens: 14 days).
    private static readonly DateTime LongAgo = DateTime.UtcNow.AddDays(-60);

    [Fact]
    public async Task Pruning_removes_the_rows_of_expired_tokens_and_a_revoked_token_that_has_not_expired_stays_refused()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var users = Enumerable.Range(151, Logins).Select(number => $"user{number:000}").ToArray();
        await Task.WhenAll(users.Select(user => app.GetFreshTokenAsync(user, "users.read profiles.read offline_access", cancellationToken)));
        var revoked = await app.GetFreshTokenAsync("user198", "profiles.read", cancellationToken);
        using var identity = app.CreateClient("identity");
        Assert.Equal(HttpStatusCode.OK, await app.RevokeAsync(revoked, cancellationToken));

        using var profileService = app.CreateClient("profileservice", revoked);
        await RefusedAsync(profileService, cancellationToken);
        using var admin = app.CreateClient("identity", await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", cancellationToken));

        await using var store = await app.OpenIdentityStoreAsync(cancellationToken);
        var aged = await AgeAsync(store, users, cancellationToken);
        var rowsBefore = await CountAsync(store, "SELECT COUNT(*) FROM OpenIddictTokens", cancellationToken);
        using var response = await admin.PostAsync(new Uri("/admin/store/prune", UriKind.Relative), content: null, cancellationToken);
        var pruned = await response.Content.ReadFromJsonAsync<PrunedRows>(cancellationToken);

        var rowsAfter = await CountAsync(store, "SELECT COUNT(*) FROM OpenIddictTokens", cancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"token rows: {rowsBefore} before pruning, {rowsAfter} after; the {aged} of {Logins} logins aged past every lifetime; pruned {pruned}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(pruned?.Tokens >= aged, $"pruned {pruned?.Tokens} tokens, fewer than the {aged} aged ones");
        Assert.Equal(0, await CountAsync(store, $"SELECT COUNT(*) FROM OpenIddictTokens WHERE Subject IN ({InList(users)})", cancellationToken));
        Assert.Equal(rowsBefore - pruned!.Tokens, rowsAfter);

        // The revoked token has not expired: still in the store, in the feed, and refused.
        var revokedId = new JsonWebToken(revoked).Id;
        Assert.Equal(1, await CountAsync(store, $"SELECT COUNT(*) FROM OpenIddictTokens WHERE Id = '{revokedId}'", cancellationToken));
        Assert.Contains(revokedId, await identity.GetStringAsync(new Uri("/revocations", UriKind.Relative), cancellationToken), StringComparison.Ordinal);
        using var refused = await profileService.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>Waits until <paramref name="service"/> refuses its token: a revocation reaches every service within 5 s.</summary>
    private static async Task RefusedAsync(HttpClient service, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (true)
        {
            using var response = await service.GetAsync(new Uri("/profiles/me", UriKind.Relative), timeout.Token);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    /// <summary>Makes the users' tokens and grants as old as if issued <see cref="LongAgo"/>; answers how many tokens.</summary>
    private static async Task<long> AgeAsync(SqliteConnection store, string[] users, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand();
        command.CommandText = $"""
            UPDATE OpenIddictAuthorizations SET CreationDate = $longAgo WHERE Subject IN ({InList(users)});
            UPDATE OpenIddictTokens SET CreationDate = $longAgo, ExpirationDate = $expired WHERE Subject IN ({InList(users)});
            """;
        command.Parameters.AddWithValue("$longAgo", LongAgo);
        command.Parameters.AddWithValue("$expired", LongAgo.AddMinutes(15));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return await CountAsync(store, $"SELECT COUNT(*) FROM OpenIddictTokens WHERE Subject IN ({InList(users)})", cancellationToken);
    }

    private static async Task<long> CountAsync(SqliteConnection store, string query, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand();
        command.CommandText = query;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // The users are this test's own names (user151...), never outside input.
    private static string InList(string[] users) => string.Join(", ", users.Select(user => $"'{user}'"));

    private sealed record PrunedRows(long Tokens, long Authorizations, int SubjectRevocations);
}
