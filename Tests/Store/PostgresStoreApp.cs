using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.Store;

/// <summary>
/// The app with the issuer's store in PostgreSQL, as deployed: a database of its own, dropped after,
/// shared by <see cref="IssuerReplicas"/> replicas of the issuer that start on it empty, together.
/// </summary>
public sealed class PostgresStoreApp : DistributedAppFixture
{
    public const int IssuerReplicas = 3;

    private readonly string? _database = PostgresServer.ConnectionString is null ? null : PostgresServer.NewDatabase();

    /// <summary>The issuer's database.</summary>
    public string PostgresConnectionString => _database ?? throw new InvalidOperationException("No PostgreSQL server is configured.");

    public override async ValueTask InitializeAsync()
    {
        if (_database is not null)
        {
            await base.InitializeAsync();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await PostgresServer.DropAsync(_database);
        }
    }

    protected override bool StoreIsSqlite => false;

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("ConnectionStrings__identitydb", _database)
            .WithReplicas(IssuerReplicas);
}
