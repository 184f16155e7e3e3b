using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace IdentityService.Data;

/// <summary>
/// Brings a database created by an earlier version up to the model by adding the tables and
/// indexes it lacks (EnsureCreated leaves an existing database as it is). Only additions: a
/// changed column is not migrated.
/// </summary>
internal static class MissingSchema
{
    /// <returns>The names of the tables and indexes created.</returns>
    public static async Task<IReadOnlyList<string>> CreateAsync(DbContext db, CancellationToken cancellationToken)
    {
        var existing = (await db.Database
            .SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type IN ('table', 'index')")
            .ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

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

        return missing.Select(operation => operation switch
        {
            CreateTableOperation table => table.Name,
            CreateIndexOperation index => index.Name,
            _ => throw new InvalidOperationException($"Unexpected operation {operation.GetType().Name}."),
        }).ToList();
    }
}
