using Npgsql;
using Tests.Store;

namespace Tests.Exports;

/// <summary>The job store in PostgreSQL holds nothing a service accepts as a bearer token, as the SQLite one (<see cref="DelegatedExportTests"/>).</summary>
public sealed class PostgresJobStoreTests(PostgresJobStoreApp app) : IClassFixture<PostgresJobStoreApp>
{
    [Fact]
    public async Task A_dump_of_the_postgres_job_store_holds_no_bearer_token_and_no_usable_delegation()
    {
        PostgresServer.SkipUnlessConfigured();
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = await app.GetFreshTokenAsync("user140", "users.read profiles.read", cancellationToken);
        using (var userService = app.CreateClient("userservice", userToken))
        {
            await ExportJobs.QueueAsync(userService, cancellationToken);
            await ExportJobs.QueueAsync(userService, cancellationToken);
        }

        await using var store = new NpgsqlConnection(app.JobsDatabase);
        await store.OpenAsync(cancellationToken);
        await JobStoreDump.AssertHoldsNoBearerTokenAsync(app, store, userToken, queuedJobs: 2, cancellationToken);
    }
}
