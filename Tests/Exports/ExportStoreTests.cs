using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UserService.Exports;
using UserService.Users;

namespace Tests.Exports;

/// <summary>The exports' bounds and their one finish, on the job store's own tables (a real SQLite file), on a clock the test controls.</summary>
public sealed class ExportStoreTests : IAsyncLifetime
{
    // On a whole millisecond: the store keeps times in Unix milliseconds.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    private readonly string _directory = Directory.CreateTempSubdirectory("export-store-").FullName;
    private SqliteConnection? _connection;

    public async ValueTask InitializeAsync()
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "jobs.db"), Pooling = false }.ToString());
        await ExportStoreSchema.CreateAsync(_connection, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection!.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_full_queue_refuses_every_user_until_a_job_ends()
    {
        using var db = Db();
        var store = Store(db, new ExportOptions { QueueCapacity = 2 });
        var first = await AddAsync(store, "alice");
        await AddAsync(store, "bob");

        Assert.Equal(ExportRefusal.QueueFull, await RefusalAsync(store, "carol"));

        await FinishAsync(store, first.Id);
        Assert.Equal(ExportRefusal.None, await RefusalAsync(store, "carol"));
        Assert.Equal(ExportRefusal.QueueFull, await RefusalAsync(store, "dave"));
    }

    [Fact]
    public async Task A_user_with_as_many_jobs_pending_as_allowed_is_refused_while_another_user_is_not()
    {
        using var db = Db();
        var store = Store(db, new ExportOptions { MaxPendingPerUser = 2 });
        await AddAsync(store, "alice");
        await AddAsync(store, "alice");

        Assert.Equal(ExportRefusal.TooManyPending, await RefusalAsync(store, "alice"));
        Assert.Equal(ExportRefusal.None, await RefusalAsync(store, "bob"));
    }

    [Fact]
    public async Task Exports_asked_for_at_once_pass_no_bound()
    {
        const int MaxPending = 3;
        var settings = new ExportOptions { MaxPendingPerUser = MaxPending };

        // Each on a store of its own, as concurrent requests are: only the database orders them.
        var refusals = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var db = Db();
            return await RefusalAsync(Store(db, settings), "alice");
        }));

        Assert.Equal(MaxPending, refusals.Count(refusal => refusal == ExportRefusal.None));
        Assert.All(refusals.Where(refusal => refusal != ExportRefusal.None), refusal => Assert.Equal(ExportRefusal.TooManyPending, refusal));
    }

    [Fact]
    public async Task A_job_is_found_by_its_owner_only()
    {
        using var db = Db();
        var store = Store(db, new ExportOptions());
        var job = await AddAsync(store, "alice");

        Assert.Equal(job.Id, (await store.FindAsync(job.Id, "alice", Cancel))?.Id);
        Assert.Null(await store.FindAsync(job.Id, "bob", Cancel));
    }

    [Fact]
    public async Task A_job_ends_once_however_often_it_runs()
    {
        using var db = Db();
        var store = Store(db, new ExportOptions());
        var job = await AddAsync(store, "alice");
        var run = await store.StartAsync(job.Id, Cancel);
        var runAgain = await store.StartAsync(job.Id, Cancel);

        Assert.True(await store.SucceedAsync(run!, Summary("alice"), Cancel));
        Assert.False(await store.FailAsync(runAgain!, "revoked", Cancel));
        Assert.Null(await store.StartAsync(job.Id, Cancel));

        var ended = await store.FindAsync(job.Id, "alice", Cancel);
        Assert.Equal(ExportStatus.Succeeded, ended?.Status);
        Assert.Null(ended?.FailureReason);
    }

    [Fact]
    public async Task A_users_newest_finished_jobs_are_kept_up_to_their_limit_and_their_oldest_goes()
    {
        using var db = Db();
        var store = Store(db, new ExportOptions { MaxKeptPerUser = 2 });
        var jobs = new List<ExportJob>();
        for (var i = 0; i < 3; i++)
        {
            var job = await AddAsync(store, "alice");
            await FinishAsync(store, job.Id);
            jobs.Add(job);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null(await store.FindAsync(jobs[0].Id, "alice", Cancel));
        Assert.NotNull(await store.FindAsync(jobs[1].Id, "alice", Cancel));
        Assert.NotNull(await store.FindAsync(jobs[2].Id, "alice", Cancel));
    }

    [Fact]
    public async Task A_finished_job_is_kept_for_the_retention_and_not_after()
    {
        using var db = Db();
        var store = Store(db, new ExportOptions { Retention = TimeSpan.FromMinutes(10) });
        var job = await AddAsync(store, "alice");
        await FinishAsync(store, job.Id);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.NotNull(await store.FindAsync(job.Id, "alice", Cancel));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await store.FindAsync(job.Id, "alice", Cancel));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private ExportsDbContext Db() =>
        new(new DbContextOptionsBuilder<ExportsDbContext>().UseSqlite(_connection!.ConnectionString).Options);

    private ExportStore Store(ExportsDbContext db, ExportOptions settings) => new(db, Options.Create(settings), _time);

    private static async Task<ExportJob> AddAsync(ExportStore store, string owner) =>
        (await store.TryAddAsync(Guid.NewGuid(), owner, Cancel)).Job ?? throw new InvalidOperationException($"No room for {owner}'s export.");

    private static async Task<ExportRefusal> RefusalAsync(ExportStore store, string owner) => (await store.TryAddAsync(Guid.NewGuid(), owner, Cancel)).Refusal;

    private static async Task FinishAsync(ExportStore store, Guid id) =>
        Assert.True(await store.SucceedAsync((await store.StartAsync(id, Cancel))!, Summary("alice"), Cancel));

    private static UserSummary Summary(string user) => new(user, Profile: null!, Preferences: null!, Activity: null!);
}
