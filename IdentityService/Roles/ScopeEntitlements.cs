using Microsoft.AspNetCore.Identity;

namespace IdentityService.Roles;

/// <summary>Whether a user may be granted scopes: a privileged scope needs its role (<see cref="AdminRoles"/>).</summary>
internal sealed class ScopeEntitlements(UserManager<IdentityUser> users)
{
    /// <summary>The first of <paramref name="scopes"/> the user holds no role for, or null when they may have them all.</summary>
    public async Task<string?> FirstUnentitledAsync(IdentityUser user, IEnumerable<string> scopes)
    {
        // Ordinary scopes cost nothing here: the store is asked only about privileged ones.
        foreach (var scope in scopes)
        {
            if (AdminRoles.RoleOfScope.TryGetValue(scope, out var role) && !await users.IsInRoleAsync(user, role))
            {
                return scope;
            }
        }

        return null;
    }
}
