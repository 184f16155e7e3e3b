namespace IdentityService.SignIn;

/// <summary>The person's session at the issuer, between signing in and the code being issued (and for the next sign-in).</summary>
internal static class SignInCookie
{
    public const string Scheme = "IdentityService.SignIn";

    public const string SignInPath = "/account/signin";
}
