using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;
using Tests.Store;

namespace Tests.Exports;

/// <summary>
/// The app with UserService's job store in PostgreSQL, as deployed (a database of its own, dropped
/// after), queueing exports and running none (<c>Exports:RunJobs</c> off), so what the store holds of
/// a waiting job can be read. Started only where a PostgreSQL server is configured.
/// </summary>
public sealed class PostgresJobStoreApp : DistributedAppFixture
{
    /// <summary>UserService's job store; null without a PostgreSQL server.</summary>
    public string? JobsDatabase { get; private set; }

    public override async ValueTask InitializeAsync()
    {
        if (PostgresServer.ConnectionString is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        JobsDatabase = await PostgresServer.CreateDatabaseAsync("jobs_test", timeout.Token);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (JobsDatabase is not null)
        {
            await PostgresServer.DropAsync(JobsDatabase);
        }
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.CreateResourceBuilder<ProjectResource>("userservice")
            .WithEnvironment("ConnectionStrings__jobsdb", JobsDatabase)
            .WithEnvironment("Exports__RunJobs", "false");
}
