using IdentityService.Data;

namespace IdentityService.ServiceClients;

internal static class ServiceClientExtensions
{
    /// <summary>
    /// Brings the configured service clients into the store before the app serves, in every
    /// environment. Runs after the Development seeding, whose scopes it reads, in one transaction.
    /// </summary>
    public static async Task SynchronizeServiceClientsAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IdentityServiceDbContext>();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (synchronized, deleted) = await ActivatorUtilities.CreateInstance<ServiceClientSynchronizer>(services).SynchronizeAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        app.Logger.LogInformation(
            "Synchronized {ServiceClientCount} service clients, deleted {DeletedClientCount} no longer configured",
            synchronized, deleted);
    }
}
