using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;

namespace Tests.Integration;

/// <summary>
/// While the issuer is stopped (under Aspire its port is still a proxy's, which accepts and holds
/// the connection), a caller whose token must first be exchanged is told so quickly, with a 503
/// problem and Retry-After; callers whose exchanged token is cached are served as usual; once the
/// issuer is healthy again, exchanges resume within seconds, with no restart.
/// </summary>
[Collection(typeof(ResourceDisruption))]
public sealed class IssuerOutageTests(DistributedAppFixture app)
{
    private const string BothServices = "users.read profiles.read";
    private const int ColdCallers = 50;
    private const int KnownCallers = 10;
    private static readonly TimeSpan AnsweredWithin = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RecoveredWithin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DisruptionTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task With_the_issuer_stopped_new_callers_get_a_quick_503_known_callers_are_served_and_exchanges_resume_once_it_is_back()
    {
        using var timeout = TestTimeout.After(DisruptionTimeout);
        // New tokens (users 101-150, and 160 for after), which no service has seen: each needs an exchange.
        var coldTokens = await Task.WhenAll(Enumerable.Range(101, ColdCallers).Append(160).Select(number =>
            app.GetFreshTokenAsync($"user{number:000}", BothServices, timeout.Token)));
        using var known = await UserClients.CreateAsync(app, Enumerable.Range(131, KnownCallers).Select(number => $"user{number:000}"), timeout.Token);
        foreach (var index in Enumerable.Range(0, KnownCallers))
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(known[index], timeout.Token));
        }

        await app.RunCommandAsync("identity", KnownResourceCommands.StopCommand, timeout.Token);
        try
        {
            var cold = await Task.WhenAll(coldTokens.Take(ColdCallers).Select(token => CallColdAsync(token, timeout.Token)));
            var knownStatuses = await Task.WhenAll(Enumerable.Range(0, KnownCallers).Select(index => StatusAsync(known[index], timeout.Token)));

            var latencies = cold.Select(answer => answer.Elapsed).Order().ToArray();
            var figures = $"p50 {Percentile(latencies, 50).TotalSeconds:0.00} s, p99 {Percentile(latencies, 99).TotalSeconds:0.00} s " +
                $"({string.Join(" ", latencies.Select(latency => latency.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))})";
            TestContext.Current.TestOutputHelper?.WriteLine($"503 to cold callers with the issuer stopped: {figures}");
            Assert.All(cold, answer =>
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
                Assert.Equal("issuer unavailable", answer.Title);
                Assert.NotNull(answer.RetryAfter);
            });
            Assert.True(Percentile(latencies, 99) <= AnsweredWithin, $"Cold callers' 503s: {figures}.");
            Assert.All(knownStatuses, status => Assert.Equal(HttpStatusCode.OK, status));
        }
        finally
        {
            await app.RunCommandAsync("identity", KnownResourceCommands.StartCommand, timeout.Token);
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("identity", WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
        }

        var recovery = Stopwatch.StartNew();
        using var next = app.CreateClient("userservice", coldTokens[^1]);
        await Polling.UntilAsync(cancellationToken => StatusAsync(next, cancellationToken), status => status == HttpStatusCode.OK, timeout.Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"A cold caller served {recovery.Elapsed.TotalSeconds:0.00} s after the issuer was healthy again");
        Assert.True(recovery.Elapsed <= RecoveredWithin, $"A cold caller was served only {recovery.Elapsed.TotalSeconds:0.0} s after the issuer was healthy again.");
    }

    private async Task<ColdAnswer> CallColdAsync(string token, CancellationToken cancellationToken)
    {
        using var client = app.CreateClient("userservice", token);
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri("/users/me", UriKind.Relative), cancellationToken);
        var elapsed = stopwatch.Elapsed;
        var problem = await response.Content.ReadFromJsonAsync<Problem>(cancellationToken);
        return new ColdAnswer(response.StatusCode, problem?.Title, response.Headers.RetryAfter?.ToString(), elapsed);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri("/users/me", UriKind.Relative), cancellationToken);
        return response.StatusCode;
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    private static TimeSpan Percentile(TimeSpan[] sorted, int percent) =>
        sorted[(int)Math.Ceiling(sorted.Length * percent / 100.0) - 1];

    private sealed record Problem(string? Title);

    private sealed record ColdAnswer(HttpStatusCode Status, string? Title, string? RetryAfter, TimeSpan Elapsed);
}
