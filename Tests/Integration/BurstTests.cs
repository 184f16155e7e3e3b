using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;

namespace Tests.Integration;

/// <summary>
/// Bursts on a freshly started app (cold processes, empty caches): what the machine can finish in
/// seconds all succeeds; a bigger burst is mostly served, any call refused is a 503 with
/// Retry-After, and the service answers the next call as usual. They restart services, so they run
/// alone. (Neither burst reaches the concurrency limit's queue: its early refusal is tested on its
/// own, in <see cref="RequestLimits.RequestLimitsTests"/>.)
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class BurstTests(DistributedAppFixture app)
{
    private static readonly TimeSpan BurstTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_burst_of_200_summaries_from_50_users_all_succeed_on_a_fresh_app()
    {
        using var timeout = TestTimeout.After(BurstTimeout);
        using var clients = await UserClients.CreateAsync(app, Users(50), timeout.Token);
        await RestartAllAsync(timeout.Token);

        var answers = await Task.WhenAll(clients.Interleaved(rounds: 4).Select(index =>
            CallAsync(clients, index, "/users/me/summary", timeout.Token)));

        Assert.All(answers, answer => Assert.True(answer.Succeeded, answer.ToString()));
    }

    [Fact]
    public async Task A_bigger_burst_is_mostly_served_and_any_call_refused_is_a_503_with_Retry_After()
    {
        using var timeout = TestTimeout.After(BurstTimeout);
        using var clients = await UserClients.CreateAsync(app, Users(100), timeout.Token);
        await RestartAllAsync(timeout.Token);

        var burst = clients.Interleaved(rounds: 3).SelectMany(index => new[]
        {
            CallAsync(clients, index, "/users/me/summary", timeout.Token),
            CallAsync(clients, index, "/users/me", timeout.Token),
        });
        var answers = await Task.WhenAll(burst);

        var succeeded = answers.Count(answer => answer.Succeeded);
        Assert.True(succeeded >= answers.Length * 95 / 100, $"{succeeded} of {answers.Length} succeeded; the others: " +
            string.Join(", ", answers.Where(answer => !answer.Succeeded).CountBy(answer => $"{(int)answer.Status} {answer.Owner}")));
        Assert.All(answers.Where(answer => !answer.Succeeded), answer =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
            Assert.True(answer.RetryAfter is not null, $"{answer} came without Retry-After.");
        });

        var next = await CallAsync(clients, 0, "/users/me", timeout.Token);
        Assert.True(next.Succeeded, $"The call after the burst: {next}");
    }

    private static IEnumerable<string> Users(int count) => Enumerable.Range(1, count).Select(number => $"user{number:000}");

    /// <summary>
    /// Starts every service anew: cold processes, no cached keys, tokens or connections. Each in
    /// turn, once what it waits for is healthy again: a service restarted while the one it waits for
    /// is still stopping fails its start.
    /// </summary>
    private async Task RestartAllAsync(CancellationToken cancellationToken)
    {
        foreach (var service in new[] { "identity", "profileservice", "userservice" })
        {
            await app.RunCommandAsync(service, KnownResourceCommands.RestartCommand, cancellationToken);
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync(service, WaitBehavior.WaitOnResourceUnavailable, cancellationToken);
        }
    }

    private static async Task<Answer> CallAsync(UserClients clients, int index, string path, CancellationToken cancellationToken)
    {
        using var response = await clients[index].GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<AnswerBody>(cancellationToken);

        return new Answer(path, clients.Users[index], response.StatusCode, body?.UserId ?? body?.Title, response.Headers.RetryAfter?.ToString());
    }

    /// <summary>A user's data, or a problem's title.</summary>
    private sealed record AnswerBody(string? UserId, string? Title);

    private sealed record Answer(string Path, string Caller, HttpStatusCode Status, string? Owner, string? RetryAfter)
    {
        public bool Succeeded => Status == HttpStatusCode.OK && Owner == Caller;
    }
}
