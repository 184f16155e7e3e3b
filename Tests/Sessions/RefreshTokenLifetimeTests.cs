using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Tests.Integration;

namespace Tests.Sessions;

/// <summary>
/// Rolling refresh tokens end with their grant: IdentityServer:RefreshTokenAbsoluteLifetime (30 days)
/// after it began, however often they were used. The grant's start is made older in the store,
/// where OpenIddict keeps it (its authorization's creation date). user088 is this test's alone.
/// </summary>
public sealed class RefreshTokenLifetimeTests(DistributedAppFixture app)
{
    private const string User = "user088";
    private static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromDays(30);

    [Fact]
    public async Task A_refresh_token_is_refused_once_its_grant_is_older_than_the_absolute_lifetime_and_lives_no_longer_than_the_time_left()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var identity = app.CreateClient("identity");
        var refreshToken = await PasswordGrantAsync(identity, cancellationToken);
        var refreshed = await RefreshAsync(identity, refreshToken, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);

        // An hour left: the next refresh token lives an hour, not OpenIddict's usual 14 days.
        await using var store = await app.OpenIdentityStoreAsync(cancellationToken);
        await MakeGrantBeginAsync(store, DateTime.UtcNow - AbsoluteLifetime + TimeSpan.FromHours(1), cancellationToken);
        var capped = await RefreshAsync(identity, refreshed.Body.RefreshToken!, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, capped.Status);
        var expiry = await UnusedRefreshTokenExpiryAsync(store, cancellationToken);
        Assert.InRange(expiry, DateTime.UtcNow.AddMinutes(50), DateTime.UtcNow.AddHours(1).AddSeconds(1));

        await MakeGrantBeginAsync(store, DateTime.UtcNow - AbsoluteLifetime - TimeSpan.FromMinutes(1), cancellationToken);
        var refused = await RefreshAsync(identity, capped.Body.RefreshToken!, cancellationToken);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (refused.Status, refused.Body.Error));
    }

    private static async Task<string> PasswordGrantAsync(HttpClient identity, CancellationToken cancellationToken)
    {
        using var response = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "dev-cli",
            ["username"] = User,
            ["password"] = DistributedAppFixture.Password,
            ["scope"] = "users.read offline_access",
        }), cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenBody>(cancellationToken))?.RefreshToken
            ?? throw new InvalidOperationException("The password grant gave no refresh token.");
    }

    private static async Task<(HttpStatusCode Status, TokenBody Body)> RefreshAsync(HttpClient identity, string refreshToken, CancellationToken cancellationToken)
    {
        using var response = await identity.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "dev-cli",
            ["refresh_token"] = refreshToken,
        }), cancellationToken);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<TokenBody>(cancellationToken))!);
    }

    // The user's one grant: every refresh token of it carries its authorization.
    private static async Task MakeGrantBeginAsync(SqliteConnection store, DateTime began, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand();
        command.CommandText = "UPDATE OpenIddictAuthorizations SET CreationDate = $began WHERE Subject = $user";
        command.Parameters.AddWithValue("$began", began);
        command.Parameters.AddWithValue("$user", User);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(cancellationToken));
    }

    private static async Task<DateTime> UnusedRefreshTokenExpiryAsync(SqliteConnection store, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand();
        // The one not yet used: each use redeems the refresh token it was given (dates are to the second).
        command.CommandText = "SELECT ExpirationDate FROM OpenIddictTokens WHERE Subject = $user AND Type LIKE '%refresh_token' AND Status = 'valid'";
        command.Parameters.AddWithValue("$user", User);
        return DateTime.SpecifyKind(DateTime.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
    }

    private sealed record TokenBody(
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("error")] string? Error);
}
