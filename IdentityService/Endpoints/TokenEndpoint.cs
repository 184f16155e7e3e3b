using IdentityService.Roles;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;

namespace IdentityService.Endpoints;

internal static class TokenEndpoint
{
    public static IServiceCollection AddTokenEndpoint(this IServiceCollection services)
    {
        services.AddScoped<ScopeEntitlements>();
        services.AddScoped<AccessTokenPrincipalFactory>();
        services.AddScoped<GrantLifetime>();
        services.AddScoped<PasswordGrant>();
        services.AddScoped<CodeOrRefreshTokenGrant>();
        services.AddScoped<ClientCredentialsGrant>();
        services.AddScoped<TokenExchangeGrant>();
        return services;
    }

    /// <summary>
    /// OpenIddict answers /connect/token itself up to the point of issuing a token: it validates the
    /// client, the grant type (unsupported_grant_type when not enabled) and the scopes, then passes
    /// the request through to here, where the grant decides who the token is for.
    /// </summary>
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("connect/token", ExchangeAsync);
        return endpoints;
    }

    private static Task<IResult> ExchangeAsync(
        HttpContext context,
        PasswordGrant passwordGrant,
        CodeOrRefreshTokenGrant codeOrRefreshTokenGrant,
        ClientCredentialsGrant clientCredentialsGrant,
        TokenExchangeGrant tokenExchangeGrant)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");

        if (request.IsPasswordGrantType())
        {
            return passwordGrant.HandleAsync(request, context.RequestAborted);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            return codeOrRefreshTokenGrant.HandleAsync(context, context.RequestAborted);
        }

        if (request.IsClientCredentialsGrantType())
        {
            return clientCredentialsGrant.HandleAsync(request, context.RequestAborted);
        }

        if (request.IsTokenExchangeGrantType())
        {
            return tokenExchangeGrant.HandleAsync(context, request, context.RequestAborted);
        }

        // Unreachable: OpenIddict rejects grant types that are not enabled before passing through.
        throw new InvalidOperationException($"The grant type '{request.GrantType}' has no handler.");
    }
}
