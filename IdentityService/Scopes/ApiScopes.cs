using IdentityService.Admin;
using IdentityService.Roles;

namespace IdentityService.Scopes;

/// <summary>
/// The scopes of the APIs this issuer gives tokens for, each with the API (audience) it opens. They
/// exist in every environment: a scope is what a person grants a client when signing in. The
/// privileged ones are granted only to holders of their role (<see cref="AdminRoles"/>).
/// </summary>
internal static class ApiScopes
{
    public static readonly IReadOnlyDictionary<string, string> Resources = new Dictionary<string, string>
    {
        ["users.read"] = "userservice",
        ["profiles.read"] = "profileservice",
        [AdminRoles.ProfilesAdmin] = "profileservice",
        [AdminApi.Scope] = AdminApi.Audience,
    };

    /// <summary>The scopes that open <paramref name="resource"/> (an audience).</summary>
    public static IEnumerable<string> Of(string resource) =>
        Resources.Where(scope => scope.Value == resource).Select(scope => scope.Key);
}
