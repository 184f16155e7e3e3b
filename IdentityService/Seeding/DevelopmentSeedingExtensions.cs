using IdentityService.Data;
using IdentityService.Scopes;
using OpenIddict.Abstractions;

namespace IdentityService.Seeding;

internal static class DevelopmentSeedingExtensions
{
    /// <summary>
    /// Adds the Development client and users that are missing, and the admin's roles (idempotent). Runs before
    /// the app serves, in one transaction: one commit instead of one per row keeps it fast.
    /// </summary>
    public static async Task SeedDevelopmentDataAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        if (!app.Environment.IsDevelopment())
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IdentityServiceDbContext>();

        await using var transaction = await db.BeginExclusiveTransactionAsync(StoreLock.Startup, cancellationToken);
        await ActivatorUtilities.CreateInstance<ClientSeeder>(services).SeedAsync(cancellationToken);
        var createdUsers = await ActivatorUtilities.CreateInstance<UserSeeder>(services).SeedAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (createdUsers > 0)
        {
            app.Logger.LogInformation("Seeded {UserCount} Development users", createdUsers);
        }
    }
}
