using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IdentityService.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.SignIn.Pages;

/// <summary>
/// A signed-in person changes their password (the current one is asked for again). Identity changes
/// the security stamp with it, which ends every session started before (<see cref="SecurityStampCheck"/>);
/// their rows are deleted here too, this one's with them: the person signs in again with the new
/// password, to a session of a new id (a copy of any earlier cookie names nothing).
/// </summary>
[Authorize(AuthenticationSchemes = SignInCookie.Scheme)]
internal sealed class ChangePasswordModel(SignInManager<IdentityUser> signIn, SubjectSessions sessions) : PageModel
{
    [BindProperty, Required, DataType(DataType.Password), Display(Name = "Current password")]
    public string CurrentPassword { get; set; } = string.Empty;

    [BindProperty, Required, DataType(DataType.Password), Display(Name = "New password")]
    public string NewPassword { get; set; } = string.Empty;

    /// <summary>Shown once changed: every session, this one too, has ended.</summary>
    public bool Changed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await signIn.UserManager.FindByIdAsync(User.FindFirstValue(Claims.Subject) ?? string.Empty);
        if (user is null)
        {
            return Challenge(SignInCookie.Scheme);
        }

        var result = await signIn.UserManager.ChangePasswordAsync(user, CurrentPassword, NewPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            return Page();
        }

        await sessions.EndAllAsync(user.Id, HttpContext.RequestAborted);
        await HttpContext.SignOutAsync(SignInCookie.Scheme);
        Changed = true;
        return Page();
    }
}
