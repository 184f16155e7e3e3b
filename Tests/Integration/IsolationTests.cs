using System.Net.Http.Json;

namespace Tests.Integration;

/// <summary>Under concurrency, every call reaches ProfileService with its own caller's token only.</summary>
public sealed class IsolationTests(DistributedAppFixture app)
{
    private const int Users = 50;
    private const int RequestsPerUser = 10;

    [Fact]
    public async Task Concurrent_requests_of_many_users_each_get_their_own_profile()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var users = Enumerable.Range(1, Users).Select(number => $"user{number:000}").ToArray();
        var tokens = await Task.WhenAll(users.Select(user => app.GetTokenAsync(user, "users.read profiles.read", cancellationToken)));
        var clients = tokens.Select(token => app.CreateClient("userservice", token)).ToArray();

        try
        {
            // Interleave users so that neighbouring requests in flight belong to different callers.
            var calls = Enumerable.Range(0, RequestsPerUser)
                .SelectMany(_ => Enumerable.Range(0, Users))
                .Select(async index =>
                {
                    var answer = await clients[index].GetFromJsonAsync<UserProfile>(new Uri("/users/me", UriKind.Relative), cancellationToken);
                    return (Caller: users[index], Answer: answer);
                });

            var results = await Task.WhenAll(calls);

            Assert.Equal(Users * RequestsPerUser, results.Length);
            var mismatches = results.Where(result => result.Answer?.Profile.UserId != result.Caller).ToList();
            Assert.Empty(mismatches);
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
