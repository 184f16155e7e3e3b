using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace IdentityService.Data;

/// <summary>
/// The work that instances sharing one store (replicas, a deployment) must do one at a time, each
/// under a lock of its own. <see cref="Startup"/>: each start-up would otherwise find a migration,
/// scope, client or user missing and add it, and all but one would fail on the duplicate.
/// <see cref="RevocationFeed"/>: the feed's versions must be committed in the order they are numbered.
/// <see cref="SigningKeys"/>: a key retired and the key that signs in its place are decided on the keys as they are.
/// </summary>
internal enum StoreLock : long
{
    // Any fixed numbers, the same in every instance: the PostgreSQL advisory locks.
    Startup = 0x1D5E_5714_2701,
    RevocationFeed = 0x1D5E_5714_2702,
    SigningKeys = 0x1D5E_5714_2703,
}

internal static class StoreLocks
{
    // Another instance's start-up takes seconds; a large migration may take minutes.
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Creates the store or brings it up to date, alone. SQLite: EF Core's migration lock holds
    /// across all migrations. PostgreSQL: Npgsql's lasts one migration's transaction, so an instance
    /// that read the applied migrations while another applied the first would apply the next one
    /// again; an advisory lock held on the connection across all of them prevents that.
    /// </summary>
    public static async Task MigrateAloneAsync(this IdentityServiceDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        await CreateDatabaseIfMissingAsync(db, cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await WaitForLockAsync(db, $"SELECT pg_advisory_lock({(long)StoreLock.Startup})", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({(long)StoreLock.Startup})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Begins a transaction that runs alone among those of every instance on the store that take
    /// the same <paramref name="storeLock"/>. SQLite: Microsoft.Data.Sqlite begins with
    /// <c>BEGIN IMMEDIATE</c>, which takes the database's write lock at once. PostgreSQL: a
    /// transaction-level advisory lock, released at commit.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginExclusiveTransactionAsync(
        this IdentityServiceDbContext db, StoreLock storeLock, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await WaitForLockAsync(db, $"SELECT pg_advisory_xact_lock({(long)storeLock})", cancellationToken);
        }

        return transaction;
    }

    private static async Task WaitForLockAsync(IdentityServiceDbContext db, FormattableString takeLock, CancellationToken cancellationToken)
    {
        var commandTimeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(LockWait);
        try
        {
            await db.Database.ExecuteSqlAsync(takeLock, cancellationToken);
        }
        finally
        {
            db.Database.SetCommandTimeout(commandTimeout);
        }
    }

    // A first deployment may find the server without the database (the lock lives inside it).
    private static async Task CreateDatabaseIfMissingAsync(IdentityServiceDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        try
        {
            if (!await creator.ExistsAsync(cancellationToken))
            {
                await creator.CreateAsync(cancellationToken);
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another instance created it first.
        }
    }
}
