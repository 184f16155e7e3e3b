using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IdentityService.Passwords;
using IdentityService.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityService.SignIn.Pages;

/// <summary>
/// The sign-in page. One message for an unknown user, a wrong password, a throttled name and a locked
/// account, so it never tells which accounts exist; guesses are throttled per name (Passwords/); the
/// form carries an anti-forgery token (Razor Pages check it on every POST); and it only ever sends
/// the person back to this server (the authorize request they came from), never elsewhere.
/// </summary>
public sealed class SignInModel(SignInManager<IdentityUser> signIn, PasswordCheck passwordCheck) : PageModel
{
    public const string Refused = "The user name or password is incorrect.";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty, Required, Display(Name = "User name")]
    public string UserName { get; set; } = string.Empty;

    [BindProperty, Required, DataType(DataType.Password)]
    public string Password { get; set; } = string.Empty;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await passwordCheck.CheckAsync(UserName, Password) is not { } user)
        {
            ModelState.AddModelError(string.Empty, Refused);
            return Page();
        }

        await HttpContext.SignInAsync(SignInCookie.Scheme, await SignInSessionPrincipal.CreateAsync(signIn, user));

        return Url.IsLocalUrl(ReturnUrl) ? LocalRedirect(ReturnUrl) : RedirectToPage();
    }
}
