using IdentityService.SignIn;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace IdentityService.Sessions;

internal static class SessionExtensions
{
    /// <summary>
    /// Keeps the sign-in cookie's sessions in the store (<see cref="SignInSessionStore"/>), each
    /// checked against the user's security stamp on every use (<see cref="SecurityStampCheck"/>).
    /// </summary>
    public static IServiceCollection AddServerSideSessions(this IServiceCollection services)
    {
        services.AddSingleton<SignInSessionStore>();
        services.AddScoped<SubjectSessions>();
        services.AddOptions<CookieAuthenticationOptions>(SignInCookie.Scheme).Configure<SignInSessionStore>((cookie, store) =>
        {
            cookie.SessionStore = store;
            cookie.Events.OnValidatePrincipal = SecurityStampCheck.ValidatePrincipalAsync;
        });
        return services;
    }
}
