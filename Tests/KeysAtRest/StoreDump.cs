using Microsoft.Data.Sqlite;

namespace Tests.KeysAtRest;

/// <summary>One text or blob value of an SQLite store, and where it is kept.</summary>
internal sealed record StoredValue(string Table, string Column, object Value)
{
    public override string ToString() => $"{Table}.{Column}";
}

/// <summary>Every text and blob value of every table of an SQLite store: what a copy of the database gives away.</summary>
internal static class StoreDump
{
    public static async Task<IReadOnlyList<StoredValue>> ReadAsync(SqliteConnection store, CancellationToken cancellationToken)
    {
        var values = new List<StoredValue>();
        foreach (var table in await ReadColumnAsync(store, "SELECT name FROM sqlite_master WHERE type = 'table'", cancellationToken))
        {
            await using var rows = store.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await rows.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    if (reader.GetValue(column) is string or byte[])
                    {
                        values.Add(new StoredValue(table, reader.GetName(column), reader.GetValue(column)));
                    }
                }
            }
        }

        return values;
    }

    /// <summary>A consistent copy of <paramref name="store"/> (its write-ahead log included) as <c>identity.db</c> in <paramref name="directory"/>.</summary>
    public static async Task CopyAsync(SqliteConnection store, string directory, CancellationToken cancellationToken)
    {
        await using var copy = await OpenAsync(directory, cancellationToken);
        store.BackupDatabase(copy);
    }

    /// <summary>The store <c>identity.db</c> in <paramref name="directory"/>, as the issuer names it.</summary>
    public static async Task<SqliteConnection> OpenAsync(string directory, CancellationToken cancellationToken)
    {
        var store = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "identity.db"),
            Pooling = false,
        }.ToString());
        await store.OpenAsync(cancellationToken);
        return store;
    }

    /// <summary>The first two columns of what <paramref name="sql"/> reads, as text.</summary>
    public static async Task<List<(string First, string Second)>> ReadPairsAsync(SqliteConnection store, string sql, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pairs = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pairs.Add((reader.GetString(0), reader.GetString(1)));
        }

        return pairs;
    }

    /// <summary>The first column of what <paramref name="sql"/> reads, as text.</summary>
    public static async Task<List<string>> ReadColumnAsync(SqliteConnection store, string sql, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
