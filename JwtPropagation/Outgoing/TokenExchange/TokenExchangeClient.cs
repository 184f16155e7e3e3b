using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace JwtPropagation.Outgoing;

/// <summary>
/// Asks the issuer to exchange a caller's access token for one meant for another audience, or for a
/// delegation a job keeps (RFC 8693); and to end a delegation (RFC 7009).
/// </summary>
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
    private const string RefreshTokenType = "urn:ietf:params:oauth:token-type:refresh_token";

    // The issuer's own parameter (not RFC 8693's) naming the job a delegation is for.
    private const string JobIdParameter = "job_id";

    /// <summary>An access token for <paramref name="target"/> made from <paramref name="subjectToken"/>, a caller's token or a delegation.</summary>
    public async Task<CallerToken> ExchangeAsync(CallerToken subjectToken, ExchangeTarget target, CancellationToken cancellationToken)
    {
        var parameters = ExchangeParameters(subjectToken, target, AccessTokenType);
        var (token, expiresIn, _) = await RequestTokenAsync(parameters, cancellationToken);
        return new CallerToken(token, subjectToken.Subject, timeProvider.GetUtcNow().AddSeconds(expiresIn));
    }

    /// <summary>
    /// A delegation of <paramref name="subjectToken"/> for <paramref name="target"/> and one job: a
    /// refresh token issued to this service's client, which only this client can exchange later.
    /// </summary>
    public async Task<Delegation> DelegateAsync(CallerToken subjectToken, ExchangeTarget target, string jobId, CancellationToken cancellationToken)
    {
        var parameters = ExchangeParameters(subjectToken, target, RefreshTokenType);
        parameters[JobIdParameter] = jobId;
        var (token, expiresIn, issuedTokenType) = await RequestTokenAsync(parameters, cancellationToken);

        // RFC 8693 names what was issued: a delegation must be a refresh token, never a bearer access token to store.
        if (issuedTokenType != RefreshTokenType)
        {
            throw TokenExchangeException.Refused(error: null);
        }

        return new Delegation(token, subjectToken.Subject, target.Audience, target.Scope, jobId, timeProvider.GetUtcNow().AddSeconds(expiresIn));
    }

    /// <summary>Ends <paramref name="delegation"/> at the issuer (RFC 7009), and the access tokens made from it.</summary>
    public async Task RevokeAsync(Delegation delegation, CancellationToken cancellationToken)
    {
        var endpoint = await GetEndpointAsync(
            options.Value.RevocationEndpoint, metadata => metadata.RevocationEndpoint, nameof(TokenExchangeOptions.RevocationEndpoint), cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = delegation.Value,
                ["token_type_hint"] = "refresh_token",
            }),
        };
        request.Headers.Authorization = BasicCredentials(options.Value.ClientId, options.Value.ClientSecret);

        // RFC 7009 answers 200 whether or not the token was known: only a refusal of the client is an error.
        using var response = await SendAsync(request, cancellationToken);
        await ThrowUnlessSucceededAsync(response, cancellationToken);
    }

    private Dictionary<string, string> ExchangeParameters(CallerToken subjectToken, ExchangeTarget target, string requestedTokenType)
    {
        var parameters = new Dictionary<string, string>
        {
            ["grant_type"] = GrantType,
            ["subject_token"] = subjectToken.Value,
            ["subject_token_type"] = subjectToken.IsDelegation ? RefreshTokenType : AccessTokenType,
            ["requested_token_type"] = requestedTokenType,
            ["audience"] = target.Audience,
        };
        if (target.Scope.Length > 0)
        {
            parameters["scope"] = target.Scope;
        }

        return parameters;
    }

    private async Task<(string Token, int ExpiresIn, string? IssuedTokenType)> RequestTokenAsync(Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var endpoint = await GetEndpointAsync(
            options.Value.TokenEndpoint, metadata => metadata.TokenEndpoint, nameof(TokenExchangeOptions.TokenEndpoint), cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(parameters) };
        request.Headers.Authorization = BasicCredentials(options.Value.ClientId, options.Value.ClientSecret);

        using var response = await SendAsync(request, cancellationToken);
        await ThrowUnlessSucceededAsync(response, cancellationToken);

        var issued = await ReadAsync<TokenResponse>(response, cancellationToken);
        return issued is { AccessToken: { Length: > 0 } token, ExpiresIn: > 0 }
            ? (token, issued.ExpiresIn, issued.IssuedTokenType)
            : throw TokenExchangeException.Refused(error: null);
    }

    private static async Task ThrowUnlessSucceededAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if ((int)response.StatusCode >= 500)
        {
            throw TokenExchangeException.Unavailable(cause: null);
        }

        var error = await ReadAsync<ErrorResponse>(response, cancellationToken);
        throw TokenExchangeException.Refused(error?.Error);
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

    /// <summary>
    /// An issuer endpoint a token is sent to: the one configured, or the one the issuer's metadata
    /// names; https outside Development (<see cref="IssuerTransport"/>).
    /// </summary>
    private async Task<Uri> GetEndpointAsync(
        Uri? configured, Func<OpenIdConnectConfiguration, string?> discovered, string settingName, CancellationToken cancellationToken)
    {
        var endpoint = configured ?? await GetDiscoveredEndpointAsync(discovered, settingName, cancellationToken);
        return !IssuerTransport.RequiresHttps(environment, validationOptions.Value) || IssuerTransport.IsSecure(endpoint)
            ? endpoint
            : throw new InvalidOperationException(
                $"The issuer endpoint {endpoint.GetLeftPart(UriPartial.Authority)} is not https: " +
                IssuerTransport.Refusal($"{TokenExchangeOptions.SectionName}:{settingName} (or the one the issuer's metadata names)"));
    }

    private async Task<Uri> GetDiscoveredEndpointAsync(
        Func<OpenIdConnectConfiguration, string?> discovered, string settingName, CancellationToken cancellationToken)
    {
        // The metadata JwtBearer already fetched (and refreshes) to validate incoming tokens.
        var configurationManager = jwtBearerOptions.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager
            ?? throw new InvalidOperationException(
                $"Token exchange needs {TokenExchangeOptions.SectionName}:{settingName} " +
                "or JWT bearer authentication with an authority (AddJwtBearerAuthentication).");

        OpenIdConnectConfiguration metadata;
        try
        {
            metadata = await configurationManager.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException exception)
        {
            throw TokenExchangeException.Unavailable(exception);
        }

        return discovered(metadata) is { Length: > 0 } endpoint
            ? new Uri(endpoint)
            : throw new InvalidOperationException($"The issuer's metadata names no such endpoint: set {TokenExchangeOptions.SectionName}:{settingName}.");
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
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("issued_token_type")] string? IssuedTokenType);

    private sealed record ErrorResponse([property: JsonPropertyName("error")] string? Error);
}
