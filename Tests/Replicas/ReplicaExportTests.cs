using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using Tests.Exports;
using Tests.Integration;
using Tests.Store;

namespace Tests.Replicas;

/// <summary>
/// Exports on UserService's two replicas, sharing their job store in PostgreSQL as deployed: either
/// replica answers for any job, and a replica killed while jobs run leaves them to the other, which
/// finishes each once, for its owner.
/// </summary>
[Collection(typeof(Replicas))]
public sealed class ReplicaExportTests(ReplicasApp app)
{
    private const string BothServices = "users.read profiles.read";
    private const int Users = 50;
    private const int JobsPerUser = ReplicasApp.MaxPendingExportsPerUser;
    private const int Jobs = Users * JobsPerUser;

    [Fact]
    public async Task Exports_of_many_users_on_two_replicas_finish_once_for_their_owner_though_one_replica_is_killed_and_both_answer_for_all()
    {
        PostgresServer.SkipUnlessConfigured();
        using var timeout = TestTimeout.After(TimeSpan.FromMinutes(4));
        var cancellationToken = timeout.Token;
        var instances = await app.InstancesOfAsync("userservice", cancellationToken);
        var replicas = await Task.WhenAll(instances.Select(instance => app.RunningReplicaAsync(instance, cancellationToken)));
        var users = Enumerable.Range(51, Users).Select(number => $"user{number:000}").ToArray();
        var tokens = await Task.WhenAll(users.Select(user => app.GetTokenAsync(user, BothServices, cancellationToken)));

        // Half the jobs at each replica's own address, then the replica that took half of those is
        // killed while they run, and the rest go to the survivor.
        var locations = new Uri[Jobs];
        await QueueAsync(Enumerable.Range(0, Jobs / 2), job => replicas[job % 2], cancellationToken);
        replicas[1].KillService();
        long runningAtKill;
        try
        {
            runningAtKill = await ExportsAsync(status: 1, cancellationToken);
            await QueueAsync(Enumerable.Range(Jobs / 2, Jobs / 2), _ => replicas[0], cancellationToken);

            await Task.WhenAll(Enumerable.Range(0, Jobs).Select(async job =>
            {
                using var client = replicas[0].CreateClient(tokens[job % Users]);
                await ExportJobs.FinishedAsync(client, locations[job], cancellationToken);
            }));
        }
        finally
        {
            // The killed replica back, for this test's last reads and for the other tests of this app.
            await app.StoppedAsync(instances[1], cancellationToken);
            await app.RunCommandAsync(instances[1], KnownResourceCommands.StartCommand, cancellationToken);
            await app.WaitUntilHealthyAsync(cancellationToken);
        }

        // Both answer for every job, each finished once, for its owner.
        replicas[1] = await app.RunningReplicaAsync(instances[1], cancellationToken);
        await replicas[1].AnsweringAsync(cancellationToken);
        foreach (var replica in replicas)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, Jobs).Select(async job =>
            {
                using var client = replica.CreateClient(tokens[job % Users]);
                return (Owner: users[job % Users], Job: await ExportJobs.ReadAsync(client, locations[job], cancellationToken));
            }));
            Assert.All(answers, answer =>
            {
                Assert.Equal("Succeeded", answer.Job?.Status);
                Assert.Equal(answer.Owner, answer.Job!.Owner);
                Assert.True(answer.Job.Result?.BelongsTo(answer.Owner), $"Job {answer.Job.Id} of {answer.Owner} holds another user's data.");
            });
            Assert.Equal(Jobs, answers.Select(answer => answer.Job!.Id).Distinct().Count());
        }

        TestContext.Current.SendDiagnosticMessage($"{runningAtKill} exports were running when the replica was killed.");
        Assert.Equal(Jobs, await ExportsAsync(status: 2, cancellationToken));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM qrtz_job_details", cancellationToken));

        async Task QueueAsync(IEnumerable<int> jobs, Func<int, Replica> replicaOf, CancellationToken cancellationToken) =>
            await Task.WhenAll(jobs.Select(async job =>
            {
                using var client = replicaOf(job).CreateClient(tokens[job % Users]);
                locations[job] = await ExportJobs.QueueAsync(client, cancellationToken);
            }));
    }

    private Task<long> ExportsAsync(int status, CancellationToken cancellationToken) =>
        CountAsync($"SELECT COUNT(*) FROM exports WHERE status = {status.ToString(CultureInfo.InvariantCulture)}", cancellationToken);

    private async Task<long> CountAsync(string sql, CancellationToken cancellationToken)
    {
        await using var store = new NpgsqlConnection(app.JobsDatabase);
        await store.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, store);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
