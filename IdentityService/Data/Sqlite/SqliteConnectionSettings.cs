using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IdentityService.Data.Sqlite;

/// <summary>
/// The settings SQLite keeps per connection, applied each time one is opened.
/// <list type="bullet">
/// <item><c>busy_timeout</c>: SQLite itself waits for a busy database (another connection is
/// writing a token), in steps of a few milliseconds, instead of Microsoft.Data.Sqlite's retry loop
/// that sleeps 150 ms at a time; as long as its default command timeout, past which the command fails.</item>
/// <item><c>synchronous = NORMAL</c>: with write-ahead logging, a commit no longer waits for the
/// disk (the log is flushed at each checkpoint). Every exchange writes its token, and the flush was
/// what capped cold exchanges (269 → 400 a second here, Benchmarks/results/exchange.md). A process
/// that crashes loses nothing and the file never corrupts; a power cut or an operating-system
/// crash may lose the last commits. This is the local store: a published app runs on PostgreSQL,
/// whose commits are durable.</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
