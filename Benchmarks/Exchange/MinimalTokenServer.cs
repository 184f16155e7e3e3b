using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Benchmarks.Exchange;

/// <summary>
/// The least an OpenIddict 7 token endpoint can do, in this process on an in-memory TestServer:
/// degraded mode (no store at all), a custom grant that any anonymous caller may use, whose
/// handler only signs in a small principal (sub, one scope, one audience); its access token an
/// unencrypted JWT signed with the first of <paramref name="signingKeys"/> (OpenIddict signs access
/// tokens with a symmetric key if it has one, and requires an asymmetric one besides). What every request still costs is
/// OpenIddict's own: extracting and validating the request, creating and signing the token, the
/// JSON response, through ASP.NET Core.
/// </summary>
internal sealed class MinimalTokenServer(params SecurityKey[] signingKeys) : IAsyncDisposable
{
    public const string GrantType = "urn:benchmarks:floor";

    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(new Uri("http://localhost/"))
                .SetTokenEndpointUris("connect/token")
                .AllowCustomFlow(GrantType)
                .AcceptAnonymousClients()
                .EnableDegradedMode()
                .DisableAccessTokenEncryption()
                // OpenIddict requires an encryption key even when no token it issues is encrypted.
                .AddEphemeralEncryptionKey();

            foreach (var signingKey in signingKeys)
            {
                server.AddSigningKey(signingKey);
            }

            // Degraded mode asks for a validation handler of its own: the floor's accepts every request.
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(_ => default));
            server.AddEventHandler<HandleTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                context.SignIn(SmallPrincipal());
                return default;
            }));

            server.UseAspNetCore().DisableTransportSecurityRequirement();
        });

        _app = builder.Build();
        await _app.StartAsync();
        _http = _app.GetTestClient();
    }

    public async Task<string> RequestTokenAsync()
    {
        using var content = new FormUrlEncodedContent([new("grant_type", GrantType)]);
        using var response = await _http.PostAsync("connect/token", content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? body
            : throw new InvalidOperationException($"The floor's token request failed ({(int)response.StatusCode}): {body}");
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static ClaimsPrincipal SmallPrincipal()
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, "user001")
            .SetScopes("profiles.read")
            .SetAudiences("profileservice")
            .SetDestinations(_ => [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }
}
