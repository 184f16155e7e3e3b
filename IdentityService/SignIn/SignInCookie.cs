namespace IdentityService.SignIn;

/// <summary>The person's session at the issuer, between signing in and the code being issued (and for the next sign-in).</summary>
internal static class SignInCookie
{
    public const string Scheme = "IdentityService.SignIn";

    public const string SignInPath = "/account/signin";

    /// <summary>Where a signed-in person changes their password (which ends their other sessions).</summary>
    public const string ChangePasswordPath = "/account/password";

    /// <summary>The cookie's name outside Development: only ever sent over https, for this host, at Path=/.</summary>
    public const string Name = "__Host-identity.signin";

    /// <summary>Its name in Development, where Aspire serves plain http (a browser refuses __Host- over http).</summary>
    public const string DevelopmentName = "identity.signin";
}
