using IdentityService.Revocation;
using IdentityService.Roles;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Endpoints;

/// <summary>
/// grant_type=authorization_code (a person signed in at /connect/authorize) and refresh_token: tokens
/// for the user the code or refresh token was issued to, with the scopes and audiences granted then.
/// </summary>
/// <remarks>
/// OpenIddict has already validated the code or refresh token: issued to this client, not expired,
/// its grant (authorization) not revoked, never used before, and for a code the redirect_uri and
/// the PKCE code_verifier. A used one is refused there with invalid_grant, and every token of its
/// grant revoked. On success OpenIddict marks it used; a refresh token is replaced by a new one.
/// </remarks>
internal sealed class CodeOrRefreshTokenGrant(
    UserManager<IdentityUser> userManager,
    SubjectRevocations subjectRevocations,
    ScopeEntitlements entitlements,
    GrantLifetime grantLifetime)
{
    public async Task<IResult> HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var grant = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
            ?? throw new InvalidOperationException("The validated code or refresh token cannot be retrieved.");
        var subject = grant.GetClaim(Claims.Subject) ?? throw new InvalidOperationException("The code or refresh token has no subject.");

        // The user may have been deleted, locked out or revoked since the token was issued.
        var user = await userManager.FindByIdAsync(subject);
        if (user is null
            || await userManager.IsLockedOutAsync(user)
            || await subjectRevocations.IsRevokedAsync(subject, grant.GetCreationDate(), cancellationToken))
        {
            return TokenError.Create(Errors.InvalidGrant, "The grant is no longer valid.");
        }

        // Rolling refresh tokens would otherwise keep a grant alive forever.
        if (await grantLifetime.RemainingAsync(grant, cancellationToken) is not { } remaining)
        {
            return TokenError.Create(Errors.InvalidGrant, "The grant has reached its absolute lifetime: sign in again.");
        }

        // A role withdrawn since: the grant's privileged scope is no longer the user's, so no more
        // tokens from it (the user signs in again for the scopes they still hold).
        if (await entitlements.FirstUnentitledAsync(user, grant.GetScopes()) is { } unentitled)
        {
            return TokenError.Create(Errors.InvalidGrant, AccessTokenPrincipalFactory.Unentitled(unentitled));
        }

        // The scopes and audiences granted at first. OpenIddict copies the code's or refresh token's internal
        // claims that are missing here, its authorization id above all: the new tokens stay in the grant.
        var principal = AccessTokenPrincipalFactory.Create(
            subject,
            await userManager.GetUserNameAsync(user) ?? string.Empty,
            grant.GetScopes(),
            grant.GetResources());
        grantLifetime.CapRefreshToken(principal, remaining);

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
