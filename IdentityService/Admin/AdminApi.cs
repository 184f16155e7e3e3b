using IdentityService.Keys;
using IdentityService.Pruning;
using IdentityService.Sessions;
using OpenIddict.Validation.AspNetCore;

namespace IdentityService.Admin;

/// <summary>
/// The service's own API (/admin/...), for access tokens it issued itself: audience
/// <see cref="Audience"/>, scope <see cref="Scope"/>.
/// </summary>
internal static class AdminApi
{
    public const string Audience = "identity";
    public const string Scope = "identity.admin";

    private const string PolicyName = "IdentityAdmin";

    public static IHostApplicationBuilder AddAdminApi(this IHostApplicationBuilder builder)
    {
        // Tokens are validated in process, with the server's own keys and issuer: no discovery call.
        builder.Services.AddOpenIddict().AddValidation(validation =>
        {
            validation.UseLocalServer();
            validation.UseAspNetCore();
            validation.AddAudiences(Audience);

            // A revoked token is refused at once, not when it expires.
            validation.EnableTokenEntryValidation();
        });

        // Only these endpoints use this scheme: /connect/* authenticate with the OpenIddict server's.
        builder.Services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy => policy
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            // OpenIddict's reading of the token's scopes (ServiceDefaults has a HasScope of its own).
            .RequireAssertion(context => OpenIddict.Abstractions.OpenIddictExtensions.HasScope(context.User, Scope)));

        return builder;
    }

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("admin").RequireAuthorization(PolicyName);
        admin.MapSubjectRevocation();
        admin.MapSignInSessions();
        admin.MapStorePruning();
        admin.MapSigningKeys();
        return endpoints;
    }
}
