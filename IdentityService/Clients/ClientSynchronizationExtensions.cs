using IdentityService.Data;
using IdentityService.PublicClients;
using IdentityService.ServiceClients;

namespace IdentityService.Clients;

internal static class ClientSynchronizationExtensions
{
    /// <summary>
    /// Brings the configured service and public clients into the store before the app serves, in
    /// every environment, in one start-up transaction. Runs after the scopes are registered: it reads them.
    /// </summary>
    public static async Task SynchronizeClientsAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IdentityServiceDbContext>();
        var clients = ActivatorUtilities.CreateInstance<ConfiguredClients>(services);

        await using var transaction = await db.BeginExclusiveTransactionAsync(StoreLock.Startup, cancellationToken);
        var (serviceClients, deletedServiceClients) =
            await ActivatorUtilities.CreateInstance<ServiceClientSynchronizer>(services, clients).SynchronizeAsync(cancellationToken);
        var (publicClients, deletedPublicClients) =
            await ActivatorUtilities.CreateInstance<PublicClientSynchronizer>(services, clients).SynchronizeAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        app.Logger.LogInformation(
            "Synchronized {ServiceClientCount} service clients and {PublicClientCount} public clients, deleted {DeletedClientCount} no longer configured",
            serviceClients, publicClients, deletedServiceClients + deletedPublicClients);
    }
}
