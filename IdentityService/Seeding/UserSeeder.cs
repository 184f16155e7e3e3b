using IdentityService.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityService.Seeding;

internal sealed class UserSeeder(
    IdentityServiceDbContext db, UserManager<IdentityUser> userManager, IPasswordHasher<IdentityUser> passwordHasher)
{
    public async Task<int> SeedAsync(CancellationToken cancellationToken)
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

        // Seeded dev users share a documented password: hashing it once instead of 202 times
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
}
