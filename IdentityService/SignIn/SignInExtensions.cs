using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using IdentityService.Data;
using IdentityService.Sessions;
using Microsoft.AspNetCore.DataProtection;
using OpenIddict.Server.AspNetCore;

namespace IdentityService.SignIn;

internal static class SignInExtensions
{
    /// <summary>
    /// Sign-in for people: a server-rendered page (anti-forgery checked, guesses throttled per
    /// address and per account name) that starts a short session at the issuer, from which /connect/authorize issues codes.
    /// The session lives in the store (Sessions/): the cookie names it, and ending it there ends it.
    /// </summary>
    public static IHostApplicationBuilder AddPersonSignIn(this IHostApplicationBuilder builder)
    {
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddAuthentication().AddCookie(SignInCookie.Scheme, cookie =>
        {
            cookie.LoginPath = SignInCookie.SignInPath;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(1);
            cookie.SlidingExpiration = false;

            // __Host-: the browser takes it only over https, for this host alone (no Domain) and the
            // whole site (Path=/), so no sibling host or plain-http page can set or read it. Aspire
            // serves plain http locally: there, a plain name the browser accepts over http.
            cookie.Cookie.Path = "/";
            cookie.Cookie.Domain = null;
            cookie.Cookie.Name = isDevelopment ? SignInCookie.DevelopmentName : SignInCookie.Name;
            cookie.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        builder.Services.AddServerSideSessions();

        // The cookie and the anti-forgery tokens are protected with keys kept in the store, so any
        // instance of the issuer reads what another wrote.
        builder.Services.AddDataProtection().PersistKeysToDbContext<IdentityServiceDbContext>();

        builder.Services.AddRazorPages(pages => pages.RootDirectory = "/SignIn/Pages");
        builder.Services.AddScoped<AuthorizeEndpoint>();

        return builder;
    }

    /// <summary>
    /// Outside Development, browsers are told to reach the issuer over https only (HSTS, ASP.NET
    /// Core's defaults: 30 days; loopback hosts are left out), so the session cookie is never
    /// offered to a plain-http impostor.
    /// </summary>
    public static WebApplication UseStrictTransportSecurity(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }

    public static IEndpointRouteBuilder MapPersonSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("connect/authorize", [HttpMethods.Get, HttpMethods.Post],
            (HttpContext context, AuthorizeEndpoint authorize) => authorize.HandleAsync(context));
        endpoints.MapMethods("connect/endsession", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync);
        endpoints.MapRazorPages();
        return endpoints;
    }

    /// <summary>Ends the session here (its row too: a copy of the cookie is dead); OpenIddict then sends the person to the client's registered post-logout URI, if it named one.</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(SignInCookie.Scheme);
        return Results.SignOut(
            new AuthenticationProperties { RedirectUri = SignInCookie.SignInPath },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
