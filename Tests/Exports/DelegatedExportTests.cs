using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Data.Sqlite;
using Tests.Integration;

namespace Tests.Exports;

/// <summary>
/// An export keeps a delegation made for it, not its user's token: it runs after that token
/// expired, and after UserService restarted, for the right user; a revoked user's fails as
/// "revoked"; the job store holds nothing a service accepts as a bearer token.
/// </summary>
[Collection(typeof(DelegatedExport))]
public sealed class DelegatedExportTests(DelegatedExportApp app)
{
    private const string Scopes = "users.read profiles.read";
    private const string Owner = "user138";
    private const string RevokedUser = "user139";

    [Fact]
    public async Task Queued_exports_run_after_their_tokens_expired_and_a_restart_and_a_revoked_users_fails_as_revoked()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        var cancellationToken = timeout.Token;

        var ownerToken = await app.GetFreshTokenAsync(Owner, Scopes, cancellationToken);
        var owned = await QueueAsync(ownerToken, cancellationToken);
        var revoked = await QueueAsync(await app.GetFreshTokenAsync(RevokedUser, Scopes, cancellationToken), cancellationToken);
        await RevokeAsync(RevokedUser, cancellationToken);

        // The tokens the exports were queued with have expired once ProfileService refuses them.
        using (var profileService = app.CreateClient("profileservice", ownerToken))
        {
            await Polling.UntilAsync(
                async token => (await profileService.GetAsync(new Uri("/profiles/me", UriKind.Relative), token)).StatusCode,
                status => status == HttpStatusCode.Unauthorized,
                cancellationToken);
        }

        await AssertStoreHoldsNoBearerTokenAsync(ownerToken, queuedJobs: 2, cancellationToken);

        app.RunJobs = true;
        await app.RunCommandAsync("userservice", KnownResourceCommands.RestartCommand, cancellationToken);
        await app.WaitUntilHealthyAsync(cancellationToken);

        var ownersJob = await FinishedAsync(Owner, owned, cancellationToken);
        Assert.Equal("Succeeded", ownersJob.Status);
        Assert.True(ownersJob.Result?.BelongsTo(Owner), $"The export of {Owner} holds another user's data.");

        var revokedJob = await FinishedAsync(RevokedUser, revoked, cancellationToken);
        Assert.Equal("Failed", revokedJob.Status);
        Assert.Equal("revoked", revokedJob.FailureReason);
    }

    private async Task<Uri> QueueAsync(string token, CancellationToken cancellationToken)
    {
        using var userService = app.CreateClient("userservice", token);
        var location = await ExportJobs.QueueAsync(userService, cancellationToken);
        Assert.Equal("Queued", (await ExportJobs.ReadAsync(userService, location, cancellationToken))?.Status);
        return location;
    }

    // A token issued after the revocation reads the job: revoking ends what was issued before.
    private async Task<ExportJobBody> FinishedAsync(string user, Uri location, CancellationToken cancellationToken)
    {
        using var userService = app.CreateClient("userservice", await app.GetFreshTokenAsync(user, Scopes, cancellationToken));
        return await ExportJobs.FinishedAsync(userService, location, cancellationToken);
    }

    private async Task RevokeAsync(string user, CancellationToken cancellationToken)
    {
        using var identity = app.CreateClient("identity", await app.GetFreshTokenAsync(DistributedAppFixture.AdminUser, "identity.admin", cancellationToken));
        using var revoke = await identity.PostAsync(new Uri($"/admin/subjects/{user}/revoke", UriKind.Relative), content: null, cancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
    }

    private async Task AssertStoreHoldsNoBearerTokenAsync(string userToken, int queuedJobs, CancellationToken cancellationToken)
    {
        await using var store = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(app.JobsDataDirectory, "jobs.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await store.OpenAsync(cancellationToken);
        await JobStoreDump.AssertHoldsNoBearerTokenAsync(app, store, userToken, queuedJobs, cancellationToken);
    }
}
