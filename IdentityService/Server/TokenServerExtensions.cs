using IdentityService.Clients;
using IdentityService.Data;
using IdentityService.Keys;
using IdentityService.Scopes;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Server;

internal static class TokenServerExtensions
{
    public static IHostApplicationBuilder AddTokenServer(this IHostApplicationBuilder builder)
    {
        var isDevelopment = builder.Environment.IsDevelopment();

        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<IdentityServiceDbContext>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, RememberingSecretApplicationManager>();
            })
            .AddServer(server =>
            {
                // Discovery (.well-known/openid-configuration) and JWKS (.well-known/jwks) keep OpenIddict's defaults.
                server.SetTokenEndpointUris("connect/token");

                // RFC 7009: a client revokes its own access or refresh token. OpenIddict handles it
                // whole; Revocation/ adds what depends on the token.
                server.SetRevocationEndpointUris("connect/revoke");

                // OpenIddict needs at least one flow in every environment; client credentials needs
                // no user interface and serves machine clients registered outside Development.
                server.AllowClientCredentialsFlow();

                // RFC 8693: a service trades the user's token it was sent for one for the next service.
                server.AllowTokenExchangeFlow();

                // Only this server's access tokens are exchanged, and the delegations it issued (refresh
                // tokens, Endpoints/DelegationGrant.cs); the actor is always the authenticated client:
                // OpenIddict then answers invalid_request to any other subject_token_type, to any
                // actor_token and to a requested_token_type other than these two.
                server.Configure(options =>
                {
                    options.SubjectTokenTypes.IntersectWith([TokenTypeIdentifiers.AccessToken, TokenTypeIdentifiers.RefreshToken]);
                    options.ActorTokenTypes.Clear();
                    options.RequestedTokenTypes.Add(TokenTypeIdentifiers.RefreshToken);
                });

                // The scopes are this build's: registered here, OpenIddict checks a requested scope
                // without a read of the store per token request (it reads only names it does not know).
                server.RegisterScopes([.. ApiScopes.Resources.Keys]);

                // People sign in at the issuer, in every environment: the authorization code flow,
                // with PKCE (RFC 7636) required of every client and S256 the only method accepted.
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow();
                server.Configure(options => options.CodeChallengeMethods.IntersectWith([CodeChallengeMethods.Sha256]));

                // The password grant hands a user's password to the client: for local tools in Development only.
                if (isDevelopment)
                {
                    server.AllowPasswordFlow();
                }

                // A refresh token is single use: each use returns a new one (OpenIddict's rolling
                // tokens), and a used one presented again is refused and revokes every token of its
                // grant. OpenIddict would accept a reuse within 30 s (for clients that retry); not here.
                server.SetRefreshTokenReuseLeeway(null);

                // Resource servers validate access tokens themselves, so these are signed JWTs
                // (typ at+jwt), readable by them, rather than encrypted ones.
                server.DisableAccessTokenEncryption();

                // Every token is stored (OpenIddict's default): its row is what revocation marks, what
                // refresh token rotation redeems and what the revocation feed reads.

                var aspNetCore = server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();

                // Under Aspire in Development services talk plain http; everywhere else HTTPS is enforced.
                if (isDevelopment)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        builder.Services.AddSingleton<VerifiedClientSecrets>();
        builder.Services.AddServerKeys();
        builder.Services.ConfigureOptions<ConfigureServerFromSettings>();

        // Builds the server options when the host starts: bad settings fail the start.
        builder.Services.AddOptions<OpenIddictServerOptions>().ValidateOnStart();

        return builder;
    }
}
