using System.Net.Http.Json;

namespace Tests.Integration;

/// <summary>
/// The summary fans out three parallel ProfileService calls, each with the caller's token.
/// Run over each transport to ProfileService: HTTP on the shared app, gRPC on <see cref="GrpcTransportApp"/>.
/// </summary>
public abstract class FanOutTests(DistributedAppFixture app)
{
    private const int Users = 50;
    private const int RequestsPerUser = 4;

    [Fact]
    public async Task Concurrent_summaries_of_many_users_hold_only_their_own_data()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var clients = await UserClients.CreateAsync(
            app, Enumerable.Range(101, Users).Select(number => $"user{number:000}"), cancellationToken);

        var results = await Task.WhenAll(clients.Interleaved(RequestsPerUser).Select(async index => (
            Caller: clients.Users[index],
            Summary: await clients[index].GetFromJsonAsync<UserSummaryBody>(new Uri("/users/me/summary", UriKind.Relative), cancellationToken))));

        Assert.Equal(Users * RequestsPerUser, results.Length);
        Assert.DoesNotContain(results, result => result.Summary?.BelongsTo(result.Caller) != true);
    }
}

public sealed class FanOutOverHttpTests(DistributedAppFixture app) : FanOutTests(app);

[Collection(typeof(GrpcTransport))]
public sealed class FanOutOverGrpcTests(GrpcTransportApp app) : FanOutTests(app);
