using IdentityService.SignIn;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Tests.Sessions;

/// <summary>
/// The sign-in cookie as the issuer sets it up: outside Development a __Host- cookie (https only,
/// this host alone, the whole site); in Development, where Aspire serves plain http, a plain one.
/// </summary>
public sealed class SignInCookieTests
{
    [Theory]
    [InlineData("Production", "__Host-identity.signin", CookieSecurePolicy.Always)]
    [InlineData("Staging", "__Host-identity.signin", CookieSecurePolicy.Always)]
    [InlineData("Development", "identity.signin", CookieSecurePolicy.SameAsRequest)]
    public async Task The_cookie_is_host_only_and_secure_outside_Development(string environment, string name, CookieSecurePolicy secure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Services.AddSingleton(TimeProvider.System);

        // Only the cookie's options are read: the store the rest needs is not there.
        builder.Host.UseDefaultServiceProvider(services => services.ValidateOnBuild = false);
        builder.AddPersonSignIn();
        await using var app = builder.Build();

        var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(SignInCookie.Scheme);

        Assert.Equal((name, secure, "/", null), (cookie.Cookie.Name, cookie.Cookie.SecurePolicy, cookie.Cookie.Path, cookie.Cookie.Domain));
        Assert.True(cookie.Cookie.HttpOnly);
        Assert.NotNull(cookie.SessionStore);
    }
}
