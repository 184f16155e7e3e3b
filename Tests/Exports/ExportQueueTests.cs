using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UserService.Exports;

namespace Tests.Exports;

public sealed class ExportQueueTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_full_queue_refuses_a_job_and_keeps_no_trace_of_it()
    {
        var queue = new ExportQueue(Options.Create(new ExportOptions { QueueCapacity = 2 }), _time);

        var first = queue.TryEnqueue("alice", Token("alice"));
        var second = queue.TryEnqueue("bob", Token("bob"));
        var refused = queue.TryEnqueue("alice", Token("alice"));

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(refused);
        Assert.Equal(ExportStatus.Queued, queue.Find(first.Id, "alice")?.Status);
        Assert.Equal(ExportStatus.Queued, queue.Find(second.Id, "bob")?.Status);
    }

    [Fact]
    public void A_job_is_found_by_its_owner_only()
    {
        var queue = new ExportQueue(Options.Create(new ExportOptions()), _time);

        var job = queue.TryEnqueue("alice", Token("alice"))!;

        Assert.Equal(job, queue.Find(job.Id, "alice"));
        Assert.Null(queue.Find(job.Id, "bob"));
    }

    private AccessToken Token(string user) => new($"token-of-{user}", user, _time.GetUtcNow().AddMinutes(5));
}
