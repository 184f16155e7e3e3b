using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JwtPropagation;

/// <summary>What a validated token says, read from the request's user.</summary>
public static class ClaimsPrincipalExtensions
{
    private const string ScopeClaim = JwtValidationOptions.DefaultScopeClaim;

    /// <summary>The token's subject (<c>sub</c>), or null for an anonymous principal.</summary>
    public static string? GetSubject(this ClaimsPrincipal principal) =>
        principal.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;

    /// <summary>
    /// Whether the token grants <paramref name="scope"/>. Issuers send scopes either as one
    /// space-separated string (RFC 9068) or as an array, which arrives as one claim per scope; they
    /// are <c>scope</c> claims here whatever the issuer names them (<see cref="JwtValidationOptions.ScopeClaim"/>).
    /// </summary>
    public static bool HasScope(this ClaimsPrincipal principal, string scope)
    {
        // Asked on every request: no LINQ, no split strings.
        foreach (var identity in principal.Identities)
        {
            foreach (var claim in identity.Claims)
            {
                if (claim.Type == ScopeClaim && ContainsWord(claim.Value, scope))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ContainsWord(string words, string word)
    {
        foreach (var range in words.AsSpan().Split(' '))
        {
            if (words.AsSpan()[range].SequenceEqual(word))
            {
                return true;
            }
        }

        return false;
    }
}
