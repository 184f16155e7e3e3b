using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Tests.Integration;

namespace Tests.TokenExchange;

/// <summary>Token requests for a delegation (RFC 8693, requested_token_type refresh_token) and its use, as UserService's client sends them.</summary>
internal static class Delegations
{
    public const string RefreshTokenType = "urn:ietf:params:oauth:token-type:refresh_token";
    private const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private const string BothServices = "users.read profiles.read";

    /// <summary>A delegation of <paramref name="user"/>'s token to UserService, for ProfileService and <paramref name="jobId"/>.</summary>
    public static async Task<string> CreateAsync(DistributedAppFixture app, string user, string jobId, CancellationToken cancellationToken)
    {
        var userToken = await app.GetTokenAsync(user, BothServices, cancellationToken);
        using var response = await RequestAsync(app, CreateForm(userToken, jobId), asUserService: true, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("access_token").GetString()!;
    }

    /// <summary>An access token for ProfileService made from <paramref name="delegation"/>.</summary>
    public static async Task<string> UseAsync(DistributedAppFixture app, string delegation, CancellationToken cancellationToken)
    {
        using var response = await RequestAsync(app, UseForm(delegation), asUserService: true, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("access_token").GetString()!;
    }

    public static Dictionary<string, string> CreateForm(string userToken, string jobId) => new()
    {
        ["grant_type"] = TokenExchangeGrant,
        ["subject_token"] = userToken,
        ["subject_token_type"] = AccessTokenType,
        ["requested_token_type"] = RefreshTokenType,
        ["audience"] = "profileservice",
        ["job_id"] = jobId,
    };

    public static Dictionary<string, string> UseForm(string delegation, string audience = "profileservice", string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = TokenExchangeGrant,
            ["subject_token"] = delegation,
            ["subject_token_type"] = RefreshTokenType,
            ["audience"] = audience,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return form;
    }

    /// <summary>A POST of <paramref name="form"/> to the issuer's <paramref name="path"/>, with UserService's client credentials or none.</summary>
    public static async Task<HttpResponseMessage> RequestAsync(
        DistributedAppFixture app, Dictionary<string, string> form, bool asUserService, CancellationToken cancellationToken, string path = "/connect/token")
    {
        using var identity = app.CreateClient("identity");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new FormUrlEncodedContent(form) };
        if (asUserService)
        {
            var secret = await app.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
                .OfType<ParameterResource>().Single(parameter => parameter.Name == "userservice-client-secret")
                .GetValueAsync(cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"userservice:{secret}")));
        }

        return await identity.SendAsync(request, cancellationToken);
    }

    public static async Task<string?> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("error").GetString();
}
