using JwtPropagation;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UserService.Exports;
using UserService.Profiles;
using UserService.Users;

namespace Tests.Exports;

/// <summary>The export queue's bounds, driven as its worker drives it (start, finish), on a clock the test controls.</summary>
public sealed class ExportQueueTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_full_queue_refuses_a_job_and_keeps_no_trace_of_it()
    {
        var queue = Queue(new ExportOptions { QueueCapacity = 2 });
        var first = Queued(queue, "alice");
        var second = Queued(queue, "bob");

        var (refused, refusal) = queue.TryEnqueue("carol", Token("carol"));

        Assert.Null(refused);
        Assert.Equal(ExportRefusal.QueueFull, refusal);
        Assert.Equal(ExportStatus.Queued, queue.Find(first.Id, "alice")?.Status);
        Assert.Equal(ExportStatus.Queued, queue.Find(second.Id, "bob")?.Status);

        // The worker takes one: exactly one more fits, carol's, and nothing of the refused one stands in its way.
        await TakeAsync(queue, first.Id);
        var third = Queued(queue, "carol");
        Assert.Equal(ExportRefusal.QueueFull, queue.TryEnqueue("carol", Token("carol")).Refusal);
        Assert.Equal(ExportStatus.Queued, queue.Find(third.Id, "carol")?.Status);
    }

    [Fact]
    public void A_job_is_found_by_its_owner_only()
    {
        var queue = Queue(new ExportOptions());

        var job = Queued(queue, "alice");

        Assert.Equal(job, queue.Find(job.Id, "alice"));
        Assert.Null(queue.Find(job.Id, "bob"));
    }

    [Fact]
    public async Task A_user_with_as_many_jobs_pending_as_allowed_is_refused_while_another_user_is_not()
    {
        var queue = Queue(new ExportOptions { MaxPendingPerUser = 2 });
        var first = Queued(queue, "alice");
        Queued(queue, "alice");

        Assert.Equal(ExportRefusal.TooManyPending, queue.TryEnqueue("alice", Token("alice")).Refusal);
        Queued(queue, "bob");

        // Once one of hers has finished, she may queue one more, and only one.
        await TakeAsync(queue, first.Id);
        queue.Succeed(first.Id, Summary("alice"));
        Queued(queue, "alice");
        Assert.Equal(ExportRefusal.TooManyPending, queue.TryEnqueue("alice", Token("alice")).Refusal);
    }

    [Fact]
    public async Task A_users_newest_finished_jobs_are_kept_up_to_their_limit_and_their_oldest_goes()
    {
        var queue = Queue(new ExportOptions { MaxKeptPerUser = 2 });
        var bobs = await FinishedAsync(queue, "bob");
        var alices = new[] { await FinishedAsync(queue, "alice"), await FinishedAsync(queue, "alice"), await FinishedAsync(queue, "alice") };

        Assert.Null(queue.Find(alices[0].Id, "alice"));
        Assert.NotNull(queue.Find(alices[1].Id, "alice"));
        Assert.NotNull(queue.Find(alices[2].Id, "alice"));
        Assert.NotNull(queue.Find(bobs.Id, "bob"));
    }

    [Fact]
    public async Task Finished_jobs_of_all_users_are_bounded_in_count_oldest_first()
    {
        var queue = Queue(new ExportOptions { MaxKept = 2 });
        var jobs = new[] { await FinishedAsync(queue, "alice"), await FinishedAsync(queue, "bob"), await FinishedAsync(queue, "carol") };

        Assert.Null(queue.Find(jobs[0].Id, "alice"));
        Assert.NotNull(queue.Find(jobs[1].Id, "bob"));
        Assert.NotNull(queue.Find(jobs[2].Id, "carol"));
    }

    [Fact]
    public async Task Finished_jobs_of_all_users_are_bounded_in_bytes_oldest_first()
    {
        // Room for two small results, not for a large one beside them.
        var queue = Queue(new ExportOptions { MaxKeptBytes = 2_000 });
        var small = new[] { await FinishedAsync(queue, "alice"), await FinishedAsync(queue, "bob") };
        Assert.NotNull(queue.Find(small[0].Id, "alice"));

        var large = await FinishedAsync(queue, "carol", Summary("carol", activities: 10));

        Assert.Null(queue.Find(small[0].Id, "alice"));
        Assert.NotNull(queue.Find(large.Id, "carol"));
    }

    [Fact]
    public async Task A_finished_job_is_kept_for_the_retention_and_not_after()
    {
        var queue = Queue(new ExportOptions { Retention = TimeSpan.FromMinutes(10) });
        var job = await FinishedAsync(queue, "alice");

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.NotNull(queue.Find(job.Id, "alice"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(queue.Find(job.Id, "alice"));
    }

    private ExportQueue Queue(ExportOptions options) => new(Options.Create(options), _time);

    private ExportJob Queued(ExportQueue queue, string owner)
    {
        var (job, refusal) = queue.TryEnqueue(owner, Token(owner));
        Assert.Equal(ExportRefusal.None, refusal);
        return job!;
    }

    /// <summary>What the worker does first with the next job: takes it from the channel and starts it.</summary>
    private static async Task TakeAsync(ExportQueue queue, Guid expected)
    {
        await using var work = queue.ReadAllAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator();
        Assert.True(await work.MoveNextAsync());
        Assert.Equal(expected, work.Current.JobId);
        queue.Start(expected);
    }

    private async Task<ExportJob> FinishedAsync(ExportQueue queue, string owner, UserSummary? result = null)
    {
        var job = Queued(queue, owner);
        await TakeAsync(queue, job.Id);
        queue.Succeed(job.Id, result ?? Summary(owner));
        return job;
    }

    private AccessToken Token(string user) => new($"token-of-{user}", user, _time.GetUtcNow().AddMinutes(5));

    private UserSummary Summary(string user, int activities = 1) => new(
        user,
        new Profile(user, user, $"{user}@example.com", "Research"),
        new Preferences(user, "en", "dark", Newsletter: false),
        new Activity(user, [.. Enumerable.Range(0, activities).Select(index => new ActivityEntry(_time.GetUtcNow(), $"action {index} of a long list of things {user} did"))]));
}
