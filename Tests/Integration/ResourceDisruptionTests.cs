using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Tests.Integration;

/// <summary>Tests that stop or restart a service; they run alone, after every other test.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ResourceDisruption;

[Collection(typeof(ResourceDisruption))]
public sealed class ResourceDisruptionTests(DistributedAppFixture app)
{
    private static readonly TimeSpan DisruptionTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_token_issued_before_the_identity_service_restarts_still_validates_after_it()
    {
        using var timeout = TestTimeout.After(DisruptionTimeout);
        var before = await app.GetTokenAsync("alice", "users.read profiles.read", timeout.Token);

        await app.RunCommandAsync("identity", KnownResourceCommands.RestartCommand, timeout.Token);
        await app.WaitUntilHealthyAsync(timeout.Token);

        // A token from the restarted issuer first: had its key changed, this token's unknown kid
        // would make both services fetch the new key set, and the earlier token would fail.
        var after = await app.GetTokenAsync("alice", "users.read profiles.read", timeout.Token);
        foreach (var token in new[] { after, before })
        {
            using var client = app.CreateClient("userservice", token);
            var user = await client.GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), timeout.Token);
            Assert.Equal("alice", user?.Profile.UserId);
        }
    }
}
