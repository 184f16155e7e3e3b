using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Endpoints;

/// <summary>grant_type=password (Development only): checks the user's password and issues a token for that user.</summary>
internal sealed class PasswordGrant(
    UserManager<IdentityUser> userManager,
    SignInManager<IdentityUser> signInManager,
    AccessTokenPrincipalFactory principalFactory,
    GrantLifetime grantLifetime)
{
    public async Task<IResult> HandleAsync(OpenIddictRequest request, CancellationToken cancellationToken)
    {
        var user = await userManager.FindByNameAsync(request.Username ?? string.Empty);

        // Repeated failures lock the account (ASP.NET Core Identity's lockout options apply).
        if (user is null || !(await signInManager.CheckPasswordSignInAsync(user, request.Password ?? string.Empty, lockoutOnFailure: true)).Succeeded)
        {
            // One answer for an unknown user, a wrong password and a locked account: it does not say which.
            return TokenError.Create(Errors.InvalidGrant, "The username or password is invalid.");
        }

        var principal = await principalFactory.CreateAsync(
            await userManager.GetUserIdAsync(user),
            await userManager.GetUserNameAsync(user) ?? string.Empty,
            request.GetScopes(),
            cancellationToken);
        grantLifetime.CapRefreshToken(principal);

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
