namespace Tests.Integration;

/// <summary>One UserService client per user, each sending that user's own token.</summary>
public sealed class UserClients : IDisposable
{
    private readonly HttpClient[] _clients;

    private UserClients(string[] users, HttpClient[] clients)
    {
        Users = users;
        _clients = clients;
    }

    public IReadOnlyList<string> Users { get; }

    public HttpClient this[int index] => _clients[index];

    public static async Task<UserClients> CreateAsync(
        DistributedAppFixture app, IEnumerable<string> users, CancellationToken cancellationToken)
    {
        var names = users.ToArray();
        var tokens = await Task.WhenAll(names.Select(user => app.GetTokenAsync(user, "users.read profiles.read", cancellationToken)));
        return new UserClients(names, [.. tokens.Select(token => app.CreateClient("userservice", token))]);
    }

    /// <summary>
    /// Each user's index, <paramref name="rounds"/> times, interleaved so that neighbouring
    /// requests in flight belong to different callers.
    /// </summary>
    public IEnumerable<int> Interleaved(int rounds) =>
        Enumerable.Range(0, rounds).SelectMany(_ => Enumerable.Range(0, _clients.Length));

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
