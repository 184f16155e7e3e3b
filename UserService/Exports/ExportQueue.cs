using System.Collections.Concurrent;
using System.Threading.Channels;
using JwtPropagation;
using Microsoft.Extensions.Options;
using UserService.Users;

namespace UserService.Exports;

/// <summary>
/// The export jobs: a bounded channel of work waiting for <see cref="ExportWorker"/>, and the state
/// of every job its owner can still read. A job is either queued or refused, never dropped.
/// </summary>
public sealed class ExportQueue(IOptions<ExportOptions> options, TimeProvider timeProvider)
{
    private readonly Channel<ExportWorkItem> _work = Channel.CreateBounded<ExportWorkItem>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    private readonly ConcurrentDictionary<Guid, ExportJob> _jobs = new();

    /// <summary>Queues an export for <paramref name="owner"/>, run later with <paramref name="token"/>.</summary>
    /// <returns>The queued job, or null when the queue is full and nothing was queued.</returns>
    public ExportJob? TryEnqueue(string owner, AccessToken token)
    {
        var job = new ExportJob(Guid.NewGuid(), owner, ExportStatus.Queued, timeProvider.GetUtcNow());

        // Recorded before it is queued, so the worker always finds the job it is handed.
        _jobs[job.Id] = job;
        if (_work.Writer.TryWrite(new ExportWorkItem(job.Id, token)))
        {
            return job;
        }

        _jobs.TryRemove(job.Id, out _);
        return null;
    }

    /// <summary>The job, if it exists and belongs to <paramref name="owner"/>.</summary>
    public ExportJob? Find(Guid id, string owner) =>
        _jobs.TryGetValue(id, out var job) && job.Owner == owner ? job : null;

    internal IAsyncEnumerable<ExportWorkItem> ReadAllAsync(CancellationToken cancellationToken) =>
        _work.Reader.ReadAllAsync(cancellationToken);

    internal void Start(Guid id) => Update(id, job => job with { Status = ExportStatus.Running });

    internal void Succeed(Guid id, UserSummary result) =>
        Finish(id, job => job with { Status = ExportStatus.Succeeded, Result = result });

    internal void Fail(Guid id, string reason) =>
        Finish(id, job => job with { Status = ExportStatus.Failed, FailureReason = reason });

    private void Finish(Guid id, Func<ExportJob, ExportJob> finish)
    {
        var now = timeProvider.GetUtcNow();
        Update(id, job => finish(job) with { FinishedAt = now });
        RemoveFinishedBefore(now - options.Value.Retention);
    }

    private void Update(Guid id, Func<ExportJob, ExportJob> change) =>
        _jobs.AddOrUpdate(id, _ => throw new InvalidOperationException($"Export job {id} is unknown."), (_, job) => change(job));

    private void RemoveFinishedBefore(DateTimeOffset cutoff)
    {
        foreach (var (id, job) in _jobs)
        {
            if (job.FinishedAt < cutoff)
            {
                _jobs.TryRemove(id, out _);
            }
        }
    }
}

/// <summary>A queued export and the token captured from the request that asked for it.</summary>
internal sealed record ExportWorkItem(Guid JobId, AccessToken Token);
