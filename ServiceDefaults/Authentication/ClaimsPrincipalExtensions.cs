using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Microsoft.Extensions.Hosting;

public static class ClaimsPrincipalExtensions
{
    private const string ScopeClaim = "scope";

    /// <summary>The token's subject (<c>sub</c>), or null for an anonymous principal.</summary>
    public static string? GetSubject(this ClaimsPrincipal principal) =>
        principal.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;

    /// <summary>
    /// Whether the token grants <paramref name="scope"/>. Issuers send <c>scope</c> either as one
    /// space-separated string (RFC 9068) or as an array, which arrives as one claim per scope.
    /// </summary>
    public static bool HasScope(this ClaimsPrincipal principal, string scope) =>
        principal.FindAll(ScopeClaim)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
}
