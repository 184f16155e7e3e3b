using System.Security.Claims;
using IdentityService.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Sessions;

/// <summary>
/// A session holds the user's security stamp as it was at sign-in; Identity changes the stamp when
/// the password changes (and revoking the subject changes it too). A session whose stamp is no
/// longer the user's, or whose user is gone, is ended on its next use, so /connect/authorize asks
/// for sign-in again. Checked on every use: no interval during which an old session still works.
/// </summary>
internal static class SecurityStampCheck
{
    /// <summary>The claim the stamp is kept under in the session (Identity's own claim type).</summary>
    public static string ClaimType(SignInManager<IdentityUser> signIn) => signIn.Options.ClaimsIdentity.SecurityStampClaimType;

    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInManager<IdentityUser>>();
        var principal = context.Principal;
        var user = principal?.FindFirstValue(Claims.Subject) is { } userId ? await signIn.UserManager.FindByIdAsync(userId) : null;

        if (!await signIn.ValidateSecurityStampAsync(user, principal?.FindFirstValue(ClaimType(signIn))))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SignInCookie.Scheme);
        }
    }
}
