using Microsoft.AspNetCore.Identity;

namespace IdentityService.Roles;

internal static class RoleGrants
{
    /// <summary>Gives <paramref name="user"/> the role <paramref name="role"/> (one of <see cref="AdminRoles"/>), creating the role if the store has none yet.</summary>
    public static async Task<IdentityResult> GrantRoleAsync(
        this UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, IdentityUser user, string role)
    {
        if (!await roles.RoleExistsAsync(role))
        {
            var created = await roles.CreateAsync(new IdentityRole(role));
            if (!created.Succeeded)
            {
                return created;
            }
        }

        return await users.IsInRoleAsync(user, role) ? IdentityResult.Success : await users.AddToRoleAsync(user, role);
    }
}
