using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;

namespace Tests.Integration;

/// <summary>
/// While ProfileService is down, UserService answers 503 problem details quickly, and serves again
/// once it is back, with no restart. Over each transport: HTTP on the shared app (with the tests
/// that run alone), gRPC on <see cref="GrpcTransportApp"/>.
/// </summary>
public abstract class ProfileServiceOutageTests(DistributedAppFixture app)
{
    private static readonly TimeSpan DisruptionTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task When_ProfileService_is_down_UserService_answers_503_problem_details_quickly()
    {
        using var timeout = TestTimeout.After(DisruptionTimeout);
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("bob", "users.read profiles.read", timeout.Token));
        // UserService gives ProfileService 5 s in all (ServiceDefaults' resilience budget, and a gRPC
        // call's deadline); a hang or the standard 30 s budget would fail this.
        client.Timeout = TimeSpan.FromSeconds(10);

        await app.RunCommandAsync("profileservice", KnownResourceCommands.StopCommand, timeout.Token);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            using var response = await client.GetAsync(new Uri("/users/me", UriKind.Relative), timeout.Token);
            var elapsed = stopwatch.Elapsed;

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            // UserService's budget for ProfileService, and half as much again for two hops on a busy
            // machine (the gRPC app's test runs beside the others): far below the standard 30 s budget
            // this guards against. Behind Aspire's proxy a stopped ProfileService does not refuse the
            // connection (the proxy takes it), so the whole budget runs out: 5.3 s measured, not "at once".
            var budget = HttpClientResilienceExtensions.DefaultTotalTimeout;
            Assert.True(elapsed <= budget * 1.5, $"The 503 came after {elapsed.TotalSeconds:0.0} s.");
            Assert.Equal("1", response.Headers.RetryAfter?.ToString());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("profile service unavailable", (await response.Content.ReadFromJsonAsync<Problem>(timeout.Token))?.Title);
        }
        finally
        {
            await app.RunCommandAsync("profileservice", KnownResourceCommands.StartCommand, timeout.Token);
            await app.WaitUntilHealthyAsync(timeout.Token);
        }

        var user = await client.GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), timeout.Token);
        Assert.Equal("bob", user?.Profile.UserId);
    }

    private sealed record Problem(int Status, string Title);
}

[Collection(typeof(ResourceDisruption))]
public sealed class ProfileServiceOutageOverHttpTests(DistributedAppFixture app) : ProfileServiceOutageTests(app);

[Collection(typeof(GrpcTransport))]
public sealed class ProfileServiceOutageOverGrpcTests(GrpcTransportApp app) : ProfileServiceOutageTests(app);
