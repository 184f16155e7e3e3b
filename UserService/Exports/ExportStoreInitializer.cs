using UserService.Jobs;

namespace UserService.Exports;

/// <summary>Creates the exports' own tables (<see cref="ExportStoreSchema"/>) before the host starts anything that reads them.</summary>
/// <remarks>
/// The work is in <see cref="StartingAsync"/>: the host runs every service's StartingAsync before any
/// service's StartAsync, and before the app serves a request.
/// </remarks>
internal sealed class ExportStoreInitializer(JobStoreDatabase database) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var connection = database.CreateConnection();
        await ExportStoreSchema.CreateAsync(connection, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
