using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using IdentityService.Data;
using Microsoft.AspNetCore.DataProtection;
using OpenIddict.Server.AspNetCore;

namespace IdentityService.SignIn;

internal static class SignInExtensions
{
    /// <summary>
    /// Sign-in for people: a server-rendered page (anti-forgery checked, guesses throttled per
    /// address and per account name) that starts a short session at the issuer, from which /connect/authorize issues codes.
    /// </summary>
    public static IHostApplicationBuilder AddPersonSignIn(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddCookie(SignInCookie.Scheme, cookie =>
        {
            cookie.LoginPath = SignInCookie.SignInPath;
            cookie.Cookie.Name = "identity.signin";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(1);
            cookie.SlidingExpiration = false;
        });

        // The cookie and the anti-forgery tokens are protected with keys kept in the store, so any
        // instance of the issuer reads what another wrote.
        builder.Services.AddDataProtection().PersistKeysToDbContext<IdentityServiceDbContext>();

        builder.Services.AddRazorPages(pages => pages.RootDirectory = "/SignIn/Pages");
        builder.Services.AddScoped<AuthorizeEndpoint>();

        return builder;
    }

    public static IEndpointRouteBuilder MapPersonSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("connect/authorize", [HttpMethods.Get, HttpMethods.Post],
            (HttpContext context, AuthorizeEndpoint authorize) => authorize.HandleAsync(context));
        endpoints.MapMethods("connect/endsession", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync);
        endpoints.MapRazorPages();
        return endpoints;
    }

    /// <summary>Ends the session here; OpenIddict then sends the person to the client's registered post-logout URI, if it named one.</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(SignInCookie.Scheme);
        return Results.SignOut(
            new AuthenticationProperties { RedirectUri = SignInCookie.SignInPath },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
