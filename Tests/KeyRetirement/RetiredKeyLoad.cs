using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Tests.Integration;

namespace Tests.KeyRetirement;

/// <summary>
/// Users calling /users/me through UserService (which calls ProfileService) until stopped, each with
/// a new token every few calls; every call is recorded with the kid of its token and when it started.
/// </summary>
internal sealed class RetiredKeyLoad(DistributedAppFixture app, int users, int callsPerToken)
{
    private const string BothServices = "users.read profiles.read";

    private readonly ConcurrentQueue<Call> _calls = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IReadOnlyCollection<Call> Calls => _calls;

    /// <summary>Time since the load was made, the clock every call's start is told by.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public int Succeeded(Func<string, bool> keyId) => _calls.Count(call => call.Status == HttpStatusCode.OK && keyId(call.KeyId));

    /// <summary>Calls refused, or failed otherwise, whose token was signed by a key <paramref name="keyId"/> accepts.</summary>
    public IReadOnlyList<Call> Failed(Func<string, bool> keyId) => [.. _calls.Where(call => call.Status != HttpStatusCode.OK && keyId(call.KeyId))];

    public string Summary => string.Join("; ", _calls.GroupBy(call => (Key: call.KeyId[..8], call.Status)).Select(group => $"{group.Key.Key} {(int)group.Key.Status}: {group.Count()}"));

    public Task RunAsync(int firstUser, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(firstUser, users).Select(user => CallAsync($"user{user:000}", stop)));

    private async Task CallAsync(string user, CancellationToken stop)
    {
        using var client = app.CreateClient("userservice");
        var token = "";
        try
        {
            for (var call = 0; !stop.IsCancellationRequested; call++)
            {
                if (call % callsPerToken == 0)
                {
                    token = await app.GetFreshTokenAsync(user, BothServices, stop);
                }

                var startedAt = Now;
                using var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
                request.Headers.Authorization = new("Bearer", token);
                using var response = await client.SendAsync(request, stop);
                _calls.Enqueue(new Call(new JsonWebToken(token).Kid, startedAt, response.StatusCode));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <param name="StartedAt">On the load's clock (<see cref="Now"/>).</param>
    internal sealed record Call(string KeyId, TimeSpan StartedAt, HttpStatusCode Status);
}
