using IdentityService.Admin;

namespace IdentityService.Roles;

/// <summary>
/// The scopes that give privilege, each granted only to a user holding the ASP.NET Core Identity
/// role of the same name. Every other scope is the user's own to grant a client.
/// </summary>
internal static class AdminRoles
{
    public const string ProfilesAdmin = "profiles.admin";

    /// <summary>The role each privileged scope needs, by scope.</summary>
    public static readonly IReadOnlyDictionary<string, string> RoleOfScope = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AdminApi.Scope] = AdminApi.Scope,
        [ProfilesAdmin] = ProfilesAdmin,
    };

    public static IEnumerable<string> All => RoleOfScope.Values;
}
