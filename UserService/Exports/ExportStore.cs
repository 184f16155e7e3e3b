using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserService.Users;

namespace UserService.Exports;

/// <summary>Why an export was not queued.</summary>
public enum ExportRefusal
{
    /// <summary>It may be queued.</summary>
    None,

    /// <summary>The user has <see cref="ExportOptions.MaxPendingPerUser"/> jobs queued or running already.</summary>
    TooManyPending,

    /// <summary><see cref="ExportOptions.QueueCapacity"/> jobs are queued or running.</summary>
    QueueFull,
}

/// <summary>
/// The exports' state in the job store, shared by every replica: what each owner may read, and the
/// one finish of each job. What one user holds is bounded (jobs pending, jobs kept), and finished
/// jobs are dropped after <see cref="ExportOptions.Retention"/>.
/// </summary>
internal sealed class ExportStore(ExportsDbContext db, IOptions<ExportOptions> options, TimeProvider timeProvider)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Any fixed key: the same in every replica.
    private const long AdmissionLockKey = 0x4558_504F_5254_5351; // "EXPORTSQ"

    private readonly ExportOptions _settings = options.Value;

    /// <summary>
    /// Records a queued export for <paramref name="owner"/> if they and the queue have room, or says
    /// why not. One admission at a time, across replicas too, so a burst passes no bound: SQLite's
    /// transaction takes the file's write lock at its start, PostgreSQL's an advisory lock to commit.
    /// </summary>
    public async Task<(ExportJob? Job, ExportRefusal Refusal)> TryAddAsync(Guid id, string owner, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdmissionLockKey})", cancellationToken);
        }

        if (await CheckRoomAsync(owner, cancellationToken) is not ExportRefusal.None and var refusal)
        {
            return (null, refusal);
        }

        var export = new ExportRecord { Id = id, Owner = owner, Status = ExportStatus.Queued, CreatedAt = timeProvider.GetUtcNow() };
        db.Exports.Add(export);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ToJob(export), ExportRefusal.None);
    }

    private async Task<ExportRefusal> CheckRoomAsync(string owner, CancellationToken cancellationToken)
    {
        // A job older than its delegation can act for no one: it does not hold a place (nor does one
        // a replica recorded and then died before handing to the engine).
        var liveSince = timeProvider.GetUtcNow() - _settings.MaxDelegation;
        var pending = db.Exports.Where(export =>
            (export.Status == ExportStatus.Queued || export.Status == ExportStatus.Running) && export.CreatedAt > liveSince);
        if (await pending.CountAsync(export => export.Owner == owner, cancellationToken) >= _settings.MaxPendingPerUser)
        {
            return ExportRefusal.TooManyPending;
        }

        return await pending.CountAsync(cancellationToken) >= _settings.QueueCapacity ? ExportRefusal.QueueFull : ExportRefusal.None;
    }

    /// <summary>Forgets an export that was never queued.</summary>
    public Task RemoveAsync(Guid id, CancellationToken cancellationToken) =>
        db.Exports.Where(export => export.Id == id).ExecuteDeleteAsync(cancellationToken);

    /// <summary>The job, if it exists, belongs to <paramref name="owner"/> and is still kept.</summary>
    public async Task<ExportJob?> FindAsync(Guid id, string owner, CancellationToken cancellationToken)
    {
        var keptSince = timeProvider.GetUtcNow() - _settings.Retention;
        var export = await db.Exports.AsNoTracking().SingleOrDefaultAsync(export => export.Id == id && export.Owner == owner, cancellationToken);
        return export is null || export.FinishedAt < keptSince ? null : ToJob(export);
    }

    /// <summary>Marks the job running, unless it has finished already (a job run again after its replica stopped); returns it, or null.</summary>
    public async Task<ExportRecord?> StartAsync(Guid id, CancellationToken cancellationToken)
    {
        await db.Exports
            .Where(export => export.Id == id && export.Status == ExportStatus.Queued)
            .ExecuteUpdateAsync(set => set.SetProperty(export => export.Status, ExportStatus.Running), cancellationToken);
        return await db.Exports.AsNoTracking()
            .SingleOrDefaultAsync(export => export.Id == id && export.Status == ExportStatus.Running, cancellationToken);
    }

    public Task<bool> SucceedAsync(ExportRecord export, UserSummary result, CancellationToken cancellationToken) =>
        FinishAsync(export, ExportStatus.Succeeded, JsonSerializer.Serialize(result, Json), failureReason: null, cancellationToken);

    public Task<bool> FailAsync(ExportRecord export, string reason, CancellationToken cancellationToken) =>
        FinishAsync(export, ExportStatus.Failed, result: null, reason, cancellationToken);

    /// <summary>Records the job's end, once: false if it had ended already.</summary>
    private async Task<bool> FinishAsync(
        ExportRecord export, ExportStatus status, string? result, string? failureReason, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var finished = await db.Exports
            .Where(e => e.Id == export.Id && (e.Status == ExportStatus.Queued || e.Status == ExportStatus.Running))
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, status)
                .SetProperty(e => e.FinishedAt, now)
                .SetProperty(e => e.Result, result)
                .SetProperty(e => e.FailureReason, failureReason), cancellationToken) == 1;

        // The owner's oldest finished jobs beyond what is kept for them, and everyone's past retention.
        var finishedOfOwner = db.Exports.Where(e => e.Owner == export.Owner && e.FinishedAt != null);
        var oldestKept = await finishedOfOwner.OrderByDescending(e => e.FinishedAt).Skip(_settings.MaxKeptPerUser - 1)
            .Select(e => e.FinishedAt).FirstOrDefaultAsync(cancellationToken);
        if (oldestKept is not null)
        {
            await finishedOfOwner.Where(e => e.FinishedAt < oldestKept).ExecuteDeleteAsync(cancellationToken);
        }

        var keptSince = now - _settings.Retention;
        await db.Exports.Where(e => e.FinishedAt < keptSince).ExecuteDeleteAsync(cancellationToken);
        return finished;
    }

    private static ExportJob ToJob(ExportRecord export) => new(
        export.Id,
        export.Owner,
        export.Status,
        export.CreatedAt,
        export.FinishedAt,
        export.Result is null ? null : JsonSerializer.Deserialize<UserSummary>(export.Result, Json),
        export.FailureReason);
}
