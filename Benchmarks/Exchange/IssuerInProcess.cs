extern alias IdentityServiceApp;

using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Benchmarks.Exchange;

/// <summary>
/// The real IdentityService in this process, on an in-memory TestServer, set up as the load
/// harness sets it up (Load/Services/IdentityServer.cs): Development (seeded users, the password
/// grant), a fresh SQLite store and keys in a temporary folder, the exchange client
/// <see cref="ClientId"/> with a random secret. Settings go in as environment variables, read by
/// the app's own builder like any deployment's.
/// </summary>
internal sealed class IssuerInProcess : IDisposable
{
    public const string ClientId = "userservice";
    public const string Audience = "profileservice";

    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("bench-identity-").FullName;
    private readonly WebApplicationFactory<IdentityServiceApp::Program> _factory;
    private readonly AuthenticationHeaderValue _clientCredentials;

    public IssuerInProcess()
    {
        ClientSecret = RandomNumberGenerator.GetString(Alphanumerics, 40);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["IdentityServer__Issuer"] = "http://localhost/",
            ["IdentityServer__DataDirectory"] = _dataDirectory,
            [$"IdentityServer__ServiceClients__{ClientId}__Secret"] = ClientSecret,
            [$"IdentityServer__ServiceClients__{ClientId}__Audiences__0"] = Audience,
            ["IdentityServer__RevocationFeedKey"] = RandomNumberGenerator.GetString(Alphanumerics, 40),
            ["IdentityServer__KeyEncryptionKey"] = RandomNumberGenerator.GetString(Alphanumerics, 44),
            ["IdentityServer__RateLimits__PerAddress__Burst"] = "1000000",
            ["IdentityServer__RateLimits__PerAddress__PerSecond"] = "1000000",
            ["IdentityServer__RateLimits__PerClient__Burst"] = "1000000",
            ["IdentityServer__RateLimits__PerClient__PerSecond"] = "1000000",

            // OpenIddict's per-request log lines (Information in Development) would be measured too:
            // the deployed level is Warning.
            ["Logging__LogLevel__OpenIddict"] = "Warning",
        })
        {
            Environment.SetEnvironmentVariable(key, value);
        }
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", null);

        _factory = new WebApplicationFactory<IdentityServiceApp::Program>();
        Http = _factory.CreateClient();
        _clientCredentials = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));
    }

    public string ClientSecret { get; }

    /// <summary>A client of the TestServer: requests go through the app's whole pipeline, in memory.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// <paramref name="count"/> access tokens of one user, as chain d's callers hold them: one
    /// password sign-in, then refresh grants, each a new access token with its own stored row.
    /// </summary>
    public async Task<string[]> MintSubjectTokensAsync(int count)
    {
        var issued = await RequestTokenAsync(new()
        {
            ["grant_type"] = "password",
            ["client_id"] = "dev-cli",
            ["username"] = "user001",
            ["password"] = "Pass123$",
            ["scope"] = "users.read profiles.read offline_access",
        });

        var tokens = new string[count];
        for (var index = 0; index < count; index++)
        {
            issued = await RequestTokenAsync(new()
            {
                ["grant_type"] = "refresh_token",
                ["client_id"] = "dev-cli",
                ["refresh_token"] = issued.GetProperty("refresh_token").GetString()!,
            });
            tokens[index] = issued.GetProperty("access_token").GetString()!;
        }

        return tokens;
    }

    /// <summary>One exchange as UserService's exchange client sends it (JwtPropagation/Outgoing/TokenExchange/TokenExchangeClient.cs).</summary>
    public async Task<string> ExchangeAsync(string subjectToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = TokenExchangeGrant,
                ["subject_token"] = subjectToken,
                ["subject_token_type"] = AccessTokenType,
                ["requested_token_type"] = AccessTokenType,
                ["audience"] = Audience,
            }),
        };
        request.Headers.Authorization = _clientCredentials;
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? body
            : throw new InvalidOperationException($"The exchange failed ({(int)response.StatusCode}): {body}");
    }

    public void Dispose()
    {
        Http.Dispose();
        _factory.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private async Task<JsonElement> RequestTokenAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync("connect/token", content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(body).RootElement.Clone()
            : throw new InvalidOperationException($"The {form["grant_type"]} grant failed ({(int)response.StatusCode}): {body}");
    }
}
