using Npgsql;

namespace Tests.Store;

/// <summary>
/// The local PostgreSQL server the store tests run against, named by <see cref="Variable"/> (a
/// connection string whose role may create databases). `.ci/run` installs and starts Debian's
/// postgresql and sets it; elsewhere those tests are skipped, saying so.
/// </summary>
internal static class PostgresServer
{
    public const string Variable = "IDENTITY_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);

    public static void SkipUnlessConfigured() =>
        Assert.SkipWhen(ConnectionString is null, $"No PostgreSQL server: set {Variable} to a connection string (.ci/run starts one).");

    /// <summary>A connection string to a database of its own, which the issuer's migrations create.</summary>
    public static string NewDatabase() =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = $"identity_test_{Guid.NewGuid():N}" }.ConnectionString;

    /// <summary>A connection string to a new, empty database of its own, created here: for a service that does not create its own.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        var database = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = $"{prefix}_{Guid.NewGuid():N}" };
        await using var server = new NpgsqlConnection(ConnectionString);
        await server.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Database}\"", server);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return database.ConnectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
