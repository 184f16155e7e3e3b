using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace IdentityService.Data;

internal static class StartupTransaction
{
    // Any fixed number, the same in every instance: the PostgreSQL advisory lock the start-ups share.
    private const long AdvisoryLockKey = 0x1D5E_5714_2701;

    /// <summary>
    /// Begins a transaction that runs alone among the start-ups of every instance on the store.
    /// Instances started together on one store (replicas, a deployment) would otherwise each find a
    /// scope, client or user missing and each add it, and all but one would fail on the duplicate.
    /// SQLite: Microsoft.Data.Sqlite begins with <c>BEGIN IMMEDIATE</c>, which takes the database's
    /// write lock at once. PostgreSQL: a transaction-level advisory lock, released at commit.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginStartupTransactionAsync(this IdentityServiceDbContext db, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        }

        return transaction;
    }
}
