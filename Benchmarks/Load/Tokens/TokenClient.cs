using System.Text.Json;

namespace Benchmarks.Load.Tokens;

/// <summary>The identity service's token endpoint, as the dev-cli client uses it.</summary>
internal sealed class TokenClient(HttpClient http, Uri identity)
{
    public const string Password = "Pass123$";

    // Both audiences, so one token serves Forward mode (sent on as is) and Exchange mode alike;
    // offline_access for a refresh token to mint fresh access tokens from.
    private const string Scopes = "users.read profiles.read offline_access";
    private const string ClientId = "dev-cli";

    private readonly Uri _tokenEndpoint = new(identity, "connect/token");

    /// <summary>The password grant: one password hash at the identity service, so only one per user.</summary>
    public Task<IssuedTokens> SignInAsync(string userName, CancellationToken cancellationToken) =>
        RequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = ClientId,
            ["username"] = userName,
            ["password"] = Password,
            ["scope"] = Scopes,
        }, cancellationToken);

    /// <summary>The refresh_token grant: a new access token, and the refresh token that replaces this one.</summary>
    public Task<IssuedTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = ClientId,
            ["refresh_token"] = refreshToken,
        }, cancellationToken);

    private async Task<IssuedTokens> RequestAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(_tokenEndpoint, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The error response names the error, never a token.
            throw new InvalidOperationException($"The {form["grant_type"]} grant failed ({(int)response.StatusCode}): {body}");
        }

        using var json = JsonDocument.Parse(body);
        return new IssuedTokens(
            json.RootElement.GetProperty("access_token").GetString()!,
            json.RootElement.GetProperty("refresh_token").GetString()!);
    }
}
