using System.Net;
using Tests.Exports;

namespace Tests.Integration;

/// <summary>
/// Exports run later, in the background, as the user who asked for them.
/// Run over each transport to ProfileService: HTTP on the shared app, gRPC on <see cref="GrpcTransportApp"/>.
/// </summary>
public abstract class ExportTests(DistributedAppFixture app)
{
    private const int Users = 40;

    // As many as a user may have queued or running at once.
    private static readonly int JobsPerUser = new UserService.Exports.ExportOptions().MaxPendingPerUser;
    private static readonly TimeSpan JobsTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Jobs_queued_concurrently_by_many_users_each_run_as_their_owner_and_none_is_lost()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(JobsTimeout);
        var cancellationToken = timeout.Token;
        using var clients = await UserClients.CreateAsync(
            app, Enumerable.Range(151, Users).Select(number => $"user{number:000}"), cancellationToken);

        var queued = await Task.WhenAll(clients.Interleaved(JobsPerUser)
            .Select(async index => (Index: index, Location: await ExportJobs.QueueAsync(clients[index], cancellationToken))));

        var finished = await Task.WhenAll(queued.Select(async job => (
            Owner: clients.Users[job.Index],
            Job: await ExportJobs.FinishedAsync(clients[job.Index], job.Location, cancellationToken))));

        Assert.Equal(Users * JobsPerUser, finished.Select(job => job.Job.Id).Distinct().Count());
        Assert.All(finished, job =>
        {
            Assert.Equal("Succeeded", job.Job.Status);
            Assert.Equal(job.Owner, job.Job.Owner);
            Assert.True(job.Job.Result?.BelongsTo(job.Owner), $"Job {job.Job.Id} of {job.Owner} holds another user's data.");
        });
    }

    [Fact]
    public async Task A_user_cannot_see_another_users_job()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var alice = app.CreateClient("userservice", await app.GetTokenAsync("alice", "users.read profiles.read", cancellationToken));
        using var bob = app.CreateClient("userservice", await app.GetTokenAsync("bob", "users.read profiles.read", cancellationToken));
        var location = await ExportJobs.QueueAsync(alice, cancellationToken);

        using var asBob = await bob.GetAsync(location, cancellationToken);
        using var asAlice = await alice.GetAsync(location, cancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, asBob.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAlice.StatusCode);
    }
}

public sealed class ExportOverHttpTests(DistributedAppFixture app) : ExportTests(app);

[Collection(typeof(GrpcTransport))]
public sealed class ExportOverGrpcTests(GrpcTransportApp app) : ExportTests(app);
