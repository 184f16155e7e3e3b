using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Data.Sqlite;
using Tests.Integration;

namespace Tests.Exports;

/// <summary>The app with room for <see cref="QueueCapacity"/> exports, one per user, none of them run: the limits can be reached and stay reached.</summary>
public sealed class ExportLimitsApp : DistributedAppFixture
{
    public const int QueueCapacity = 2;

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.CreateResourceBuilder<ProjectResource>("userservice")
            .WithEnvironment("Exports__RunJobs", "false")
            .WithEnvironment("Exports__QueueCapacity", QueueCapacity.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Exports__MaxPendingPerUser", "1");
}

/// <summary>A user past their own limit is answered 429, anyone past the queue's 503, both with Retry-After, and nothing is queued for either.</summary>
public sealed class ExportLimitsTests(ExportLimitsApp app) : IClassFixture<ExportLimitsApp>
{
    private const string Scopes = "users.read profiles.read";

    [Fact]
    public async Task Past_a_users_limit_the_answer_is_429_and_past_the_queues_503_each_with_retry_after_and_nothing_queued()
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.Accepted, await QueueAsync("alice", expectRetryAfter: false, cancellationToken));
        Assert.Equal(HttpStatusCode.TooManyRequests, await QueueAsync("alice", expectRetryAfter: true, cancellationToken));
        Assert.Equal(HttpStatusCode.Accepted, await QueueAsync("bob", expectRetryAfter: false, cancellationToken));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await QueueAsync("user141", expectRetryAfter: true, cancellationToken));

        await using var store = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(app.JobsDataDirectory, "jobs.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await store.OpenAsync(cancellationToken);
        await using var count = store.CreateCommand();
        count.CommandText = "SELECT (SELECT COUNT(*) FROM exports) + (SELECT COUNT(*) FROM qrtz_job_details)";
        Assert.Equal(2 * ExportLimitsApp.QueueCapacity, Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture));
    }

    private async Task<HttpStatusCode> QueueAsync(string user, bool expectRetryAfter, CancellationToken cancellationToken)
    {
        using var userService = app.CreateClient("userservice", await app.GetTokenAsync(user, Scopes, cancellationToken));
        using var response = await userService.PostAsync(new Uri("/users/me/exports", UriKind.Relative), content: null, cancellationToken);
        if (expectRetryAfter)
        {
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"A {(int)response.StatusCode} came without Retry-After.");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(await response.Content.ReadFromJsonAsync<object>(cancellationToken));
        }

        return response.StatusCode;
    }
}
