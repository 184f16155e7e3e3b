using IdentityService.Data;
using IdentityService.Keys;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Server;

internal static class TokenServerExtensions
{
    public static IHostApplicationBuilder AddTokenServer(this IHostApplicationBuilder builder)
    {
        var isDevelopment = builder.Environment.IsDevelopment();

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityServiceDbContext>())
            .AddServer(server =>
            {
                // Discovery (.well-known/openid-configuration) and JWKS (.well-known/jwks) keep OpenIddict's defaults.
                server.SetTokenEndpointUris("connect/token");

                // OpenIddict needs at least one flow in every environment; client credentials needs
                // no user interface and serves machine clients registered outside Development.
                server.AllowClientCredentialsFlow();

                // RFC 8693: a service trades the user's token it was sent for one for the next service.
                server.AllowTokenExchangeFlow();

                // Only this server's access tokens are exchanged, and the actor is always the
                // authenticated client: OpenIddict then answers invalid_request to any other
                // subject_token_type and to any actor_token.
                server.Configure(options =>
                {
                    options.SubjectTokenTypes.IntersectWith([TokenTypeIdentifiers.AccessToken]);
                    options.ActorTokenTypes.Clear();
                });

                // The password grant hands a user's password to the client: for local tools only.
                if (isDevelopment)
                {
                    server.AllowPasswordFlow();
                }

                // Resource servers validate access tokens themselves, so these are signed JWTs
                // (typ at+jwt), readable by them, rather than encrypted ones.
                server.DisableAccessTokenEncryption();

                // Access tokens are self-contained and nothing here reads them back (no revocation
                // or introspection endpoint), so a database row per token would only grow the store.
                server.DisableTokenStorage();

                var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough();

                // Under Aspire in Development services talk plain http; everywhere else HTTPS is enforced.
                if (isDevelopment)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        builder.Services.AddSingleton<ServerKeys>();
        builder.Services.ConfigureOptions<ConfigureServerFromSettings>();

        // Builds the server options when the host starts: bad settings or keys fail the start,
        // and the keys exist on disk before the first request.
        builder.Services.AddOptions<OpenIddictServerOptions>().ValidateOnStart();

        return builder;
    }
}
