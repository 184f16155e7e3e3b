using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.IdentityModel.JsonWebTokens;

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
        const string Scopes = "users.read profiles.read";
        using var timeout = TestTimeout.After(DisruptionTimeout);
        // Tokens no service has seen: each must be verified with the issuer's published keys, not
        // served from a service's caches.
        var before = await app.GetFreshTokenAsync("alice", Scopes, timeout.Token);

        await app.RunCommandAsync("identity", KnownResourceCommands.RestartCommand, timeout.Token);
        await app.WaitUntilHealthyAsync(timeout.Token);

        var after = await app.GetFreshTokenAsync("alice", Scopes, timeout.Token);
        Assert.Equal(new JsonWebToken(before).Kid, new JsonWebToken(after).Kid);

        // A token from the restarted issuer first: had its key changed, this token's unknown kid
        // would make both services fetch the new key set, and the earlier token would fail.
        foreach (var token in new[] { after, before })
        {
            using var client = app.CreateClient("userservice", token);
            var user = await client.GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), timeout.Token);
            Assert.Equal("alice", user?.Profile.UserId);
        }
    }
}
