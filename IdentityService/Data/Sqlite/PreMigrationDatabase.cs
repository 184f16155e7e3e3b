using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace IdentityService.Data.Sqlite;

/// <summary>
/// Takes an SQLite store made before its schema came from migrations (by EnsureCreated, in earlier
/// versions) under the migrations: adds the tables and indexes of the first migration it lacks, then
/// records that one as applied, since the store now holds what it creates; the later migrations
/// then run as on any store. Only additions: a table made by an earlier version is taken as it is.
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

        // What the first migration would create, keeping only what is missing.
        var migrations = db.GetService<IMigrationsAssembly>();
        var (firstId, firstType) = migrations.Migrations.First();
        var first = migrations.CreateMigration(firstType, db.Database.ProviderName!);
        var missing = first.UpOperations
            .Where(operation => operation switch
            {
                CreateTableOperation table => !existing.Contains(table.Name),
                CreateIndexOperation index => !existing.Contains(index.Name),
                _ => false,
            })
            .ToList();

        foreach (var command in db.GetService<IMigrationsSqlGenerator>().Generate(missing, db.GetService<IDesignTimeModel>().Model))
        {
            await db.Database.ExecuteSqlRawAsync(command.CommandText, cancellationToken);
        }

        var history = db.GetService<IHistoryRepository>();
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(firstId, ProductInfo.GetVersion())), cancellationToken);

        return missing.Select(operation => operation switch
        {
            CreateTableOperation table => table.Name,
            CreateIndexOperation index => index.Name,
            _ => throw new InvalidOperationException($"Unexpected operation {operation.GetType().Name}."),
        }).ToList();
    }
}
