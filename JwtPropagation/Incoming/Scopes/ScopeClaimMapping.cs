using System.Security.Claims;

namespace JwtPropagation.Incoming;

/// <summary>
/// Gives a validated token's identity its scopes as <c>scope</c> claims, read from the claim the
/// issuer puts them in (<see cref="JwtValidationOptions.ScopeClaim"/>, e.g. Entra ID's <c>scp</c>),
/// so <see cref="ClaimsPrincipalExtensions.HasScope"/> and <c>RequireTokenScope</c> read every issuer's
/// scopes alike. Done once per token, before its identity is cached.
/// </summary>
internal static class ScopeClaimMapping
{
    public static void Apply(ClaimsIdentity? identity, string scopeClaim)
    {
        if (identity is null || scopeClaim == JwtValidationOptions.DefaultScopeClaim)
        {
            return;
        }

        // A "scope" claim the configured issuer does not use for scopes grants nothing here.
        foreach (var unrelated in identity.FindAll(JwtValidationOptions.DefaultScopeClaim).ToList())
        {
            identity.RemoveClaim(unrelated);
        }

        foreach (var scopes in identity.FindAll(scopeClaim).ToList())
        {
            identity.AddClaim(new Claim(JwtValidationOptions.DefaultScopeClaim, scopes.Value, scopes.ValueType, scopes.Issuer));
        }
    }
}
