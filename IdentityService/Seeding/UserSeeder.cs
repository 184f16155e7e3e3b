using IdentityService.Data;
using IdentityService.Roles;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityService.Seeding;

internal sealed class UserSeeder(
    IdentityServiceDbContext db,
    UserManager<IdentityUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IPasswordHasher<IdentityUser> passwordHasher)
{
    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var created = await CreateMissingUsersAsync(cancellationToken);
        await GrantAdminRolesAsync();
        return created;
    }

    private async Task<int> CreateMissingUsersAsync(CancellationToken cancellationToken)
    {
        var existing = await db.Users
            .Where(user => DevelopmentSeedData.UserNames.Contains(user.UserName!))
            .Select(user => user.UserName!)
            .ToHashSetAsync(cancellationToken);

        var missing = DevelopmentSeedData.UserNames.Where(userName => !existing.Contains(userName)).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }

        // Seeded dev users share a documented password: hashing it once instead of once per user
        // (PBKDF2, deliberately slow) keeps the first start fast.
        var passwordHash = passwordHasher.HashPassword(new IdentityUser(), DevelopmentSeedData.Password);

        foreach (var userName in missing)
        {
            // Id = user name, so a token's sub reads "alice" and tests can predict it.
            var user = new IdentityUser { Id = userName, UserName = userName, PasswordHash = passwordHash };
            var result = await userManager.CreateAsync(user);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    $"Seeding user '{userName}' failed: {string.Join("; ", result.Errors.Select(error => error.Description))}");
            }
        }

        return missing.Count;
    }

    private async Task GrantAdminRolesAsync()
    {
        var admin = await userManager.FindByNameAsync(DevelopmentSeedData.AdminUserName)
            ?? throw new InvalidOperationException("The seeded admin user is missing.");
        foreach (var role in AdminRoles.All)
        {
            var result = await userManager.GrantRoleAsync(roleManager, admin, role);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    $"Granting '{role}' to the seeded admin failed: {string.Join("; ", result.Errors.Select(error => error.Description))}");
            }
        }
    }
}
