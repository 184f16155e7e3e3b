using System.Net.Http.Json;

namespace Tests.Integration;

/// <summary>
/// Under concurrency, every call reaches ProfileService with its own caller's token only.
/// Run over each transport to ProfileService: HTTP on the shared app, gRPC on <see cref="GrpcTransportApp"/>.
/// </summary>
public abstract class IsolationTests(DistributedAppFixture app)
{
    private const int Users = 50;
    private const int RequestsPerUser = 10;

    [Fact]
    public async Task Concurrent_requests_of_many_users_each_get_their_own_profile()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var clients = await UserClients.CreateAsync(
            app, Enumerable.Range(1, Users).Select(number => $"user{number:000}"), cancellationToken);

        var results = await Task.WhenAll(clients.Interleaved(RequestsPerUser).Select(async index => (
            Caller: clients.Users[index],
            Answer: await clients[index].GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), cancellationToken))));

        Assert.Equal(Users * RequestsPerUser, results.Length);
        Assert.DoesNotContain(results, result => result.Answer?.Profile.UserId != result.Caller);
    }
}

public sealed class IsolationOverHttpTests(DistributedAppFixture app) : IsolationTests(app);

[Collection(typeof(GrpcTransport))]
public sealed class IsolationOverGrpcTests(GrpcTransportApp app) : IsolationTests(app);
