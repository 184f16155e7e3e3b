using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace IdentityService.Data.Sqlite;

/// <summary>
/// Takes an SQLite store made before its schema came from migrations (by EnsureCreated, in earlier
/// versions) under the migrations: adds the tables and indexes it lacks, then records every
/// migration as applied, since the store now holds what they create. Only additions: a changed
/// column is not migrated.
/// </summary>
internal static class PreMigrationDatabase
{
    /// <returns>The tables and indexes it added; null when the store is not such a store.</returns>
    public static async Task<IReadOnlyList<string>?> AdoptAsync(SqliteIdentityServiceDbContext db, CancellationToken cancellationToken)
    {
        var existing = (await db.Database
            .SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type IN ('table', 'index')")
            .ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (existing.Contains(HistoryRepository.DefaultTableName) || !existing.Contains("OpenIddictTokens"))
        {
            return null;
        }

        // What creating the whole model from nothing would take, keeping only what is missing.
        var model = db.GetService<IDesignTimeModel>().Model;
        var missing = db.GetService<IMigrationsModelDiffer>()
            .GetDifferences(null, model.GetRelationalModel())
            .Where(operation => operation switch
            {
                CreateTableOperation table => !existing.Contains(table.Name),
                CreateIndexOperation index => !existing.Contains(index.Name),
                _ => false,
            })
            .ToList();

        foreach (var command in db.GetService<IMigrationsSqlGenerator>().Generate(missing, model))
        {
            await db.Database.ExecuteSqlRawAsync(command.CommandText, cancellationToken);
        }

        var history = db.GetService<IHistoryRepository>();
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        foreach (var migration in db.Database.GetMigrations())
        {
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(migration, ProductInfo.GetVersion())), cancellationToken);
        }

        return missing.Select(operation => operation switch
        {
            CreateTableOperation table => table.Name,
            CreateIndexOperation index => index.Name,
            _ => throw new InvalidOperationException($"Unexpected operation {operation.GetType().Name}."),
        }).ToList();
    }
}
