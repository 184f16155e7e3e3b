using System.Security.Claims;
using IdentityService.SignIn;
using Microsoft.AspNetCore.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Sessions;

internal static class SignInSessionPrincipal
{
    /// <summary>Who a new session is for, with the user's security stamp as it is now (<see cref="SecurityStampCheck"/>).</summary>
    public static async Task<ClaimsPrincipal> CreateAsync(SignInManager<IdentityUser> signIn, IdentityUser user)
    {
        var users = signIn.UserManager;
        var session = new ClaimsIdentity(SignInCookie.Scheme, Claims.Name, Claims.Role);
        session.AddClaim(new Claim(Claims.Subject, await users.GetUserIdAsync(user)));
        session.AddClaim(new Claim(Claims.Name, await users.GetUserNameAsync(user) ?? string.Empty));
        session.AddClaim(new Claim(SecurityStampCheck.ClaimType(signIn), await users.GetSecurityStampAsync(user)));
        return new ClaimsPrincipal(session);
    }
}
