using System.Security.Claims;
using JwtPropagation;

namespace ProfileService.Profiles;

/// <summary>Who may read which profile: one rule for the HTTP API and the gRPC service.</summary>
public static class ProfileAccess
{
    /// <summary>The scope a token needs for any profile operation: reading the user's own data.</summary>
    public const string ReadScope = "profiles.read";

    /// <summary>Lets a caller read any profile, not only their own (with <see cref="ReadScope"/>).</summary>
    public const string AdminScope = "profiles.admin";

    /// <summary>
    /// Whether <paramref name="user"/> may read <paramref name="userId"/>'s profile: their own, or
    /// any with <see cref="AdminScope"/>. Asked before the lookup, so a caller cannot probe which users exist.
    /// </summary>
    public static bool MayRead(ClaimsPrincipal user, string userId) =>
        user.GetSubject() == userId || user.HasScope(AdminScope);
}
