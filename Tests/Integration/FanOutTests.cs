using System.Net.Http.Json;

namespace Tests.Integration;

/// <summary>The summary fans out three parallel ProfileService calls, each with the caller's token.</summary>
public sealed class FanOutTests(DistributedAppFixture app)
{
    private const int Users = 50;
    private const int RequestsPerUser = 4;

    [Fact]
    public async Task Concurrent_summaries_of_many_users_hold_only_their_own_data()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var users = Enumerable.Range(101, Users).Select(number => $"user{number:000}").ToArray();
        var tokens = await Task.WhenAll(users.Select(user => app.GetTokenAsync(user, "users.read profiles.read", cancellationToken)));
        var clients = tokens.Select(token => app.CreateClient("userservice", token)).ToArray();

        try
        {
            var calls = Enumerable.Range(0, RequestsPerUser)
                .SelectMany(_ => Enumerable.Range(0, Users))
                .Select(async index => (
                    Caller: users[index],
                    Summary: await clients[index].GetFromJsonAsync<UserSummaryBody>(new Uri("/users/me/summary", UriKind.Relative), cancellationToken)));

            var results = await Task.WhenAll(calls);

            Assert.Equal(Users * RequestsPerUser, results.Length);
            Assert.DoesNotContain(results, result => result.Summary?.BelongsTo(result.Caller) != true);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
