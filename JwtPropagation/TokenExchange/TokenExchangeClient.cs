using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace JwtPropagation;

/// <summary>Asks the issuer to exchange a caller's access token for one meant for another audience (RFC 8693).</summary>
internal sealed class TokenExchangeClient(
    IHttpClientFactory httpClientFactory,
    IOptions<TokenExchangeOptions> options,
    IOptionsMonitor<JwtBearerOptions> jwtBearerOptions,
    IOptions<JwtValidationOptions> validationOptions,
    IssuerLiveness issuerLiveness,
    TimeProvider timeProvider,
    IHostEnvironment? environment = null)
{
    public const string HttpClientName = "token-exchange";

    private const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    public async Task<AccessToken> ExchangeAsync(AccessToken subjectToken, ExchangeTarget target, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var parameters = new Dictionary<string, string>
        {
            ["grant_type"] = GrantType,
            ["subject_token"] = subjectToken.Value,
            ["subject_token_type"] = AccessTokenType,
            ["requested_token_type"] = AccessTokenType,
            ["audience"] = target.Audience,
        };
        if (target.Scope.Length > 0)
        {
            parameters["scope"] = target.Scope;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, await GetTokenEndpointAsync(cancellationToken))
        {
            Content = new FormUrlEncodedContent(parameters),
        };
        request.Headers.Authorization = BasicCredentials(settings.ClientId, settings.ClientSecret);

        using var response = await SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            if ((int)response.StatusCode >= 500)
            {
                throw TokenExchangeException.Unavailable(cause: null);
            }

            var error = await ReadAsync<ErrorResponse>(response, cancellationToken);
            throw TokenExchangeException.Refused(error?.Error);
        }

        var issued = await ReadAsync<TokenResponse>(response, cancellationToken);
        if (issued is not { AccessToken: { Length: > 0 } token, ExpiresIn: > 0 })
        {
            throw TokenExchangeException.Refused(error: null);
        }

        return new AccessToken(token, subjectToken.Subject, timeProvider.GetUtcNow().AddSeconds(issued.ExpiresIn));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await issuerLiveness.SendAsync(httpClientFactory.CreateClient(HttpClientName), request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or TimeoutRejectedException or BrokenCircuitException)
        {
            throw TokenExchangeException.Unavailable(exception);
        }
    }

    /// <summary>The token endpoint, where the caller's token may be sent: https outside Development (<see cref="IssuerTransport"/>).</summary>
    private async Task<Uri> GetTokenEndpointAsync(CancellationToken cancellationToken)
    {
        var endpoint = options.Value.TokenEndpoint ?? await GetDiscoveredTokenEndpointAsync(cancellationToken);
        return !IssuerTransport.RequiresHttps(environment, validationOptions.Value) || IssuerTransport.IsSecure(endpoint)
            ? endpoint
            : throw new InvalidOperationException(
                $"The token endpoint {endpoint.GetLeftPart(UriPartial.Authority)} is not https: " +
                IssuerTransport.Refusal($"{TokenExchangeOptions.SectionName}:{nameof(TokenExchangeOptions.TokenEndpoint)} (or the one the issuer's metadata names)"));
    }

    private async Task<Uri> GetDiscoveredTokenEndpointAsync(CancellationToken cancellationToken)
    {
        // The metadata JwtBearer already fetched (and refreshes) to validate incoming tokens.
        var configurationManager = jwtBearerOptions.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager
            ?? throw new InvalidOperationException(
                $"Token exchange needs {TokenExchangeOptions.SectionName}:{nameof(TokenExchangeOptions.TokenEndpoint)} " +
                "or JWT bearer authentication with an authority (AddJwtBearerAuthentication).");

        try
        {
            var metadata = await configurationManager.GetConfigurationAsync(cancellationToken);
            return new Uri(metadata.TokenEndpoint);
        }
        catch (InvalidOperationException exception)
        {
            throw TokenExchangeException.Unavailable(exception);
        }
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // RFC 6749 section 2.3.1: both parts form-encoded before they are joined and base64-encoded.
    private static AuthenticationHeaderValue BasicCredentials(string clientId, string clientSecret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    private sealed record ErrorResponse([property: JsonPropertyName("error")] string? Error);
}
