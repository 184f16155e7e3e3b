using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Tests.Integration;

namespace Tests.Grpc;

/// <summary>UserService over gRPC when ProfileService cannot answer: the same 503 as over HTTP.</summary>
[Collection(typeof(GrpcTransport))]
public sealed class GrpcTransportTests(GrpcTransportApp app)
{
    private static readonly TimeSpan DisruptionTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task When_ProfileService_is_down_UserService_answers_503_problem_details_quickly()
    {
        using var timeout = TestTimeout.After(DisruptionTimeout);
        using var client = app.CreateClient("userservice", await app.GetTokenAsync("bob", "users.read profiles.read", timeout.Token));
        // Each gRPC call's deadline is the HTTP calls' 5 s budget; a hang would fail this.
        client.Timeout = TimeSpan.FromSeconds(10);

        await app.RunCommandAsync("profileservice", KnownResourceCommands.StopCommand, timeout.Token);
        try
        {
            using var response = await client.GetAsync(new Uri("/users/me", UriKind.Relative), timeout.Token);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("profile service unavailable", (await response.Content.ReadFromJsonAsync<Problem>(timeout.Token))?.Title);
        }
        finally
        {
            await app.RunCommandAsync("profileservice", KnownResourceCommands.StartCommand, timeout.Token);
            await app.WaitUntilHealthyAsync(timeout.Token);
        }

        // And back once it is: no restart of UserService, no circuit left open.
        var user = await client.GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), timeout.Token);
        Assert.Equal("bob", user?.Profile.UserId);
    }

    private sealed record Problem(int Status, string Title);
}
