using IdentityService.Revocation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Endpoints;

/// <summary>grant_type=refresh_token (Development only): new tokens for the same user, scopes and audiences.</summary>
/// <remarks>
/// OpenIddict has already validated the refresh token: issued to this client, not expired, its
/// grant (authorization) not revoked, and never used before. A used one is refused there with
/// invalid_grant, and every token of its grant revoked. On success OpenIddict marks this one used
/// and returns a new refresh token with the new access token.
/// </remarks>
internal sealed class RefreshTokenGrant(UserManager<IdentityUser> userManager, SubjectRevocations subjectRevocations)
{
    public async Task<IResult> HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var refreshToken = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
            ?? throw new InvalidOperationException("The validated refresh token cannot be retrieved.");
        var subject = refreshToken.GetClaim(Claims.Subject) ?? throw new InvalidOperationException("The refresh token has no subject.");

        // The user may have been deleted, locked out or revoked since the token was issued.
        var user = await userManager.FindByIdAsync(subject);
        if (user is null
            || await userManager.IsLockedOutAsync(user)
            || await subjectRevocations.IsRevokedAsync(subject, refreshToken.GetCreationDate(), cancellationToken))
        {
            return TokenError.Create(Errors.InvalidGrant, "The refresh token is no longer valid.");
        }

        // The scopes and audiences granted at first. OpenIddict copies the refresh token's internal
        // claims that are missing here, its authorization id above all: the new tokens stay in the grant.
        var principal = AccessTokenPrincipalFactory.Create(
            subject,
            await userManager.GetUserNameAsync(user) ?? string.Empty,
            refreshToken.GetScopes(),
            refreshToken.GetResources());

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
