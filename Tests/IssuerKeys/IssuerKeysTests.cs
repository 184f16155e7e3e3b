using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Tests.Integration;

namespace Tests.IssuerKeys;

/// <summary>
/// A key set that cannot be read on a later refresh (the issuer unreachable, the key set empty,
/// malformed or a server error) never drops the keys a service holds, never makes it unhealthy and
/// never stops or restarts it; a service that starts while the keys cannot be read says it waits
/// for them, and is healthy once it holds them. Its own app (<see cref="IssuerKeysApp"/>), after the
/// other tests: it breaks the issuer's keys for every service and restarts one.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class IssuerKeysTests(IssuerKeysApp app) : IClassFixture<IssuerKeysApp>
{
    private const string BothServices = "users.read profiles.read";

    /// <summary>How many reads of the keys each service is to make that meet an answer: more than one, so a service that stops reading after a bad answer is caught.</summary>
    private const int ReadsToMeet = 3;

    /// <summary>The property of a resource's snapshot that holds its process id: a restart changes it.</summary>
    private const string ProcessIdProperty = "executable.pid";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>How long a service may take to show a change the tests wait for: many times the refresh interval.</summary>
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(IssuerKeysAnswer.Unreachable)]
    [InlineData(IssuerKeysAnswer.EmptyKeySet)]
    [InlineData(IssuerKeysAnswer.MalformedKeySet)]
    [InlineData(IssuerKeysAnswer.KeySetServerError)]
    public async Task A_key_set_that_cannot_be_read_on_a_later_refresh_leaves_both_services_validating_healthy_and_running(IssuerKeysAnswer answer)
    {
        using var timeout = TestTimeout.After(Limit);
        var processes = RunningProcesses();

        app.Front.Answer = answer;
        try
        {
            await MeetAsync(answer, timeout.Token);

            // A token neither service has seen: it is verified with the keys held, not served from a cache.
            var token = await app.GetFreshTokenAsync("alice", BothServices, timeout.Token);
            using var userService = app.CreateClient("userservice", token);
            using var profileService = app.CreateClient("profileservice", token);
            var user = await userService.GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), timeout.Token);
            var profile = await profileService.GetFromJsonAsync<ProfileBody>(new Uri("/profiles/me", UriKind.Relative), timeout.Token);

            // UserService's answer holds the profile ProfileService gave it for the token exchanged for it.
            Assert.Equal("alice", user?.Profile.UserId);
            Assert.Equal("alice", profile?.UserId);
            foreach (var service in IssuerKeysApp.Validators)
            {
                Assert.Equal(new HealthAnswer(HttpStatusCode.OK, "Healthy"), await HealthAsync(service, timeout.Token));
            }

            Assert.Equal(processes, RunningProcesses());
        }
        finally
        {
            app.Front.Answer = IssuerKeysAnswer.Good;
        }

        // The bad answers did not stop the services reading the keys: the next good key set is read.
        await MeetAsync(IssuerKeysAnswer.Good, timeout.Token);
    }

    [Fact]
    public async Task A_service_started_while_the_keys_cannot_be_read_says_it_waits_for_them_and_is_healthy_once_it_holds_them()
    {
        using var timeout = TestTimeout.After(Limit);
        app.Front.Answer = IssuerKeysAnswer.Unreachable;
        try
        {
            await app.RunCommandAsync("profileservice", KnownResourceCommands.RestartCommand, timeout.Token);
            var waiting = await UntilAsync(
                cancellationToken => HealthOfStartingAsync("profileservice", cancellationToken),
                health => health is { Status: HttpStatusCode.ServiceUnavailable } && health.Body.Contains("issuer-keys:", StringComparison.Ordinal),
                last => $"the restarted profileservice should answer 503 naming issuer-keys; its last health answer: {last}",
                timeout.Token);

            Assert.StartsWith("Unhealthy\n", waiting!.Body, StringComparison.Ordinal);
            Assert.Contains("\nissuer-keys: Waiting for the issuer's signing keys", waiting.Body, StringComparison.Ordinal);
        }
        finally
        {
            app.Front.Answer = IssuerKeysAnswer.Good;
        }

        var healthy = await UntilAsync(
            cancellationToken => HealthOfStartingAsync("profileservice", cancellationToken),
            health => health is { Status: HttpStatusCode.OK },
            last => $"profileservice should be healthy once the keys can be read; its last health answer: {last}",
            timeout.Token);
        using var profileService = app.CreateClient("profileservice", await app.GetFreshTokenAsync("bob", BothServices, timeout.Token));
        var profile = await profileService.GetFromJsonAsync<ProfileBody>(new Uri("/profiles/me", UriKind.Relative), timeout.Token);

        Assert.Equal("Healthy", healthy!.Body);
        Assert.Equal("bob", profile?.UserId);
        await app.WaitUntilHealthyAsync(timeout.Token);
    }

    /// <summary>
    /// A user calls both services until each has made <see cref="ReadsToMeet"/> more reads of the keys
    /// that the front answered with <paramref name="answer"/>: a service reads its keys again, once
    /// due, when a request needs them. What the calls answer is checked afterwards, with a new token.
    /// </summary>
    private async Task MeetAsync(IssuerKeysAnswer answer, CancellationToken cancellationToken)
    {
        var token = await app.GetTokenAsync("alice", BothServices, cancellationToken);
        using var userService = app.CreateClient("userservice", token);
        using var profileService = app.CreateClient("profileservice", token);
        var before = IssuerKeysApp.Validators.ToDictionary(service => service, service => app.Front.ReadsAnswered(service, answer));
        await UntilAsync(
            async pollCancellationToken =>
            {
                (await userService.GetAsync(new Uri("/users/me", UriKind.Relative), pollCancellationToken)).Dispose();
                (await profileService.GetAsync(new Uri("/profiles/me", UriKind.Relative), pollCancellationToken)).Dispose();
                return before.ToDictionary(read => read.Key, read => app.Front.ReadsAnswered(read.Key, answer) - read.Value);
            },
            met => met.Values.All(reads => reads >= ReadsToMeet),
            met => $"each service should have read the keys {ReadsToMeet} more times answered {answer}; reads: {string.Join(", ", met ?? [])}",
            cancellationToken);
    }

    /// <summary>Each service's state and process id, once every service is running with one.</summary>
    private Dictionary<string, string> RunningProcesses() => IssuerKeysApp.Validators.ToDictionary(service => service, service =>
    {
        Assert.True(app.App.ResourceNotifications.TryGetCurrentState(service, out var current), $"{service} has no state.");
        var processId = current.Snapshot.Properties.SingleOrDefault(property => property.Name == ProcessIdProperty)?.Value;
        Assert.Equal(KnownResourceStates.Running, current.Snapshot.State?.Text);
        Assert.NotNull(processId);
        return $"{current.Snapshot.State?.Text}, process {processId}";
    });

    private async Task<HealthAnswer> HealthAsync(string service, CancellationToken cancellationToken)
    {
        using var client = app.CreateClient(service);
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
        return new HealthAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>The health answer of a service being restarted; null while it does not listen yet.</summary>
    private async Task<HealthAnswer?> HealthOfStartingAsync(string service, CancellationToken cancellationToken)
    {
        try
        {
            return await HealthAsync(service, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/>; after <see cref="WaitLimit"/>, fails with <paramref name="failure"/> of the last answer.</summary>
    private static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> read, Func<T, bool> done, Func<T?, string> failure, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(WaitLimit);
        var last = default(T);
        try
        {
            return await Polling.UntilAsync(async pollCancellationToken => last = await read(pollCancellationToken), done, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Not within {WaitLimit.TotalSeconds} s: {failure(last)}");
        }
    }

    private sealed record HealthAnswer(HttpStatusCode Status, string Body);
}
