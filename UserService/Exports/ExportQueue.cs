using System.Text.Json;
using System.Threading.Channels;
using JwtPropagation;
using Microsoft.Extensions.Options;
using UserService.Users;

namespace UserService.Exports;

/// <summary>Why an export was not queued.</summary>
public enum ExportRefusal
{
    /// <summary>It was queued.</summary>
    None,

    /// <summary>The user has <see cref="ExportOptions.MaxPendingPerUser"/> jobs queued or running already.</summary>
    TooManyPending,

    /// <summary>The queue holds <see cref="ExportOptions.QueueCapacity"/> jobs.</summary>
    QueueFull,
}

/// <summary>
/// The export jobs: a bounded channel of work waiting for <see cref="ExportWorker"/>, and the state
/// of every job its owner can still read. A job is either queued or refused, never dropped. What
/// one user may hold is bounded (jobs pending, jobs kept), and so is what all finished jobs take;
/// the oldest finished go first, found at the head of a list kept in finishing order, so a job's
/// completion costs the same however many jobs are kept.
/// </summary>
public sealed class ExportQueue(IOptions<ExportOptions> options, TimeProvider timeProvider)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ExportOptions _settings = options.Value;

    private readonly Channel<ExportWorkItem> _work = Channel.CreateBounded<ExportWorkItem>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Entry> _jobs = [];
    private readonly Dictionary<string, Owner> _owners = new(StringComparer.Ordinal);

    // Finished jobs of every owner, oldest first, and the bytes their JSON takes.
    private readonly LinkedList<Entry> _kept = new();
    private long _keptBytes;

    /// <summary>Queues an export for <paramref name="owner"/>, run later with <paramref name="token"/>.</summary>
    /// <returns>The queued job, or why nothing was queued.</returns>
    public (ExportJob? Job, ExportRefusal Refusal) TryEnqueue(string owner, AccessToken token)
    {
        var job = new ExportJob(Guid.NewGuid(), owner, ExportStatus.Queued, timeProvider.GetUtcNow());
        lock (_gate)
        {
            DropExpired();
            var jobsOfOwner = OwnerOf(owner);
            if (jobsOfOwner.Pending >= _settings.MaxPendingPerUser)
            {
                return (null, ExportRefusal.TooManyPending);
            }

            // Recorded before it is queued, so the worker always finds the job it is handed.
            _jobs[job.Id] = new Entry(job);
            if (!_work.Writer.TryWrite(new ExportWorkItem(job.Id, token)))
            {
                _jobs.Remove(job.Id);
                ForgetIfIdle(owner, jobsOfOwner);
                return (null, ExportRefusal.QueueFull);
            }

            jobsOfOwner.Pending++;
            return (job, ExportRefusal.None);
        }
    }

    /// <summary>The job, if it exists, belongs to <paramref name="owner"/> and is still kept.</summary>
    public ExportJob? Find(Guid id, string owner)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue(id, out var entry) && entry.Job.Owner == owner && !IsExpired(entry.Job) ? entry.Job : null;
        }
    }

    internal IAsyncEnumerable<ExportWorkItem> ReadAllAsync(CancellationToken cancellationToken) =>
        _work.Reader.ReadAllAsync(cancellationToken);

    internal void Start(Guid id)
    {
        lock (_gate)
        {
            var entry = _jobs[id];
            entry.Job = entry.Job with { Status = ExportStatus.Running };
        }
    }

    internal void Succeed(Guid id, UserSummary result) =>
        Finish(id, job => job with { Status = ExportStatus.Succeeded, Result = result });

    internal void Fail(Guid id, string reason) =>
        Finish(id, job => job with { Status = ExportStatus.Failed, FailureReason = reason });

    private void Finish(Guid id, Func<ExportJob, ExportJob> finish)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            var entry = _jobs[id];
            entry.Job = finish(entry.Job) with { FinishedAt = now };
            entry.Size = JsonSerializer.SerializeToUtf8Bytes(entry.Job, Json).LongLength;

            var owner = _owners[entry.Job.Owner];
            owner.Pending--;
            entry.KeptOfOwner = owner.Kept.AddLast(entry);
            entry.Kept = _kept.AddLast(entry);
            _keptBytes += entry.Size;

            if (owner.Kept.Count > _settings.MaxKeptPerUser)
            {
                Drop(owner.Kept.First!.Value);
            }

            while (_kept.Count > _settings.MaxKept || _keptBytes > _settings.MaxKeptBytes)
            {
                Drop(_kept.First!.Value);
            }

            DropExpired();
        }
    }

    private void DropExpired()
    {
        while (_kept.First?.Value is { } oldest && IsExpired(oldest.Job))
        {
            Drop(oldest);
        }
    }

    private bool IsExpired(ExportJob job) => job.FinishedAt + _settings.Retention < timeProvider.GetUtcNow();

    private void Drop(Entry entry)
    {
        var owner = _owners[entry.Job.Owner];
        _kept.Remove(entry.Kept!);
        owner.Kept.Remove(entry.KeptOfOwner!);
        _keptBytes -= entry.Size;
        _jobs.Remove(entry.Job.Id);
        ForgetIfIdle(entry.Job.Owner, owner);
    }

    private Owner OwnerOf(string owner)
    {
        if (!_owners.TryGetValue(owner, out var jobs))
        {
            _owners[owner] = jobs = new Owner();
        }

        return jobs;
    }

    // A user with nothing pending or kept takes no room.
    private void ForgetIfIdle(string name, Owner owner)
    {
        if (owner.Pending == 0 && owner.Kept.Count == 0)
        {
            _owners.Remove(name);
        }
    }

    /// <summary>What one user holds: jobs queued or running, and finished ones kept, oldest first.</summary>
    private sealed class Owner
    {
        public int Pending { get; set; }

        public LinkedList<Entry> Kept { get; } = new();
    }

    private sealed class Entry(ExportJob job)
    {
        public ExportJob Job { get; set; } = job;

        public long Size { get; set; }

        public LinkedListNode<Entry>? Kept { get; set; }

        public LinkedListNode<Entry>? KeptOfOwner { get; set; }
    }
}

/// <summary>A queued export and the token captured from the request that asked for it.</summary>
internal sealed record ExportWorkItem(Guid JobId, AccessToken Token);
