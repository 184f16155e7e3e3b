using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace UserService.Jobs;

/// <summary>The database Quartz keeps the export jobs' schedule in.</summary>
/// <param name="ConnectionString">An ADO.NET connection string for that database.</param>
/// <param name="IsPostgres">PostgreSQL (clustered across replicas) rather than SQLite (one process).</param>
internal sealed record JobStoreDatabase(string ConnectionString, bool IsPostgres)
{
    public DbConnection CreateConnection() =>
        IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    // The generated ToString would print the connection string, password and all, into any log.
    public override string ToString() => IsPostgres ? "PostgreSQL job store" : "SQLite job store";
}
