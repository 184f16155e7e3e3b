using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;
using Tests.Store;

namespace Tests.Exports;

/// <summary>
/// The app with UserService's job store in PostgreSQL, as deployed, queueing exports and running none
/// (<c>Exports:RunJobs</c> off), so what the store holds of a waiting job can be read. Started only
/// where a PostgreSQL server is configured.
/// </summary>
public sealed class PostgresJobStoreApp : DistributedAppFixture
{
    public override async ValueTask InitializeAsync()
    {
        if (PostgresServer.ConnectionString is not null)
        {
            await base.InitializeAsync();
        }
    }

    protected override bool JobStoreInPostgres => true;

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.CreateResourceBuilder<ProjectResource>("userservice").WithEnvironment("Exports__RunJobs", "false");
}
