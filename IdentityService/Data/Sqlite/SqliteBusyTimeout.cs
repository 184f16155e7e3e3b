using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IdentityService.Data.Sqlite;

/// <summary>
/// Lets SQLite itself wait for a busy database (another connection is writing a token), in steps of
/// a few milliseconds, instead of Microsoft.Data.Sqlite's retry loop that sleeps 150 ms at a time.
/// The setting lives on the native connection, so it is applied each time one is opened.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    // As long as Microsoft.Data.Sqlite's default command timeout: past it, the command fails.
    private const string Pragma = "PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }
}
