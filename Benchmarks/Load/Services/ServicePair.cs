using Benchmarks.Load.Processes;

namespace Benchmarks.Load.Services;

/// <summary>A user service and the profile service it calls: one chain the load goes through.</summary>
internal sealed class ServicePair(ServiceProcess profile, ServiceProcess user) : IAsyncDisposable
{
    public ServiceProcess Profile { get; } = profile;

    public ServiceProcess User { get; } = user;

    /// <summary>What the load calls: <c>GET /users/me</c>.</summary>
    public Uri UsersMe => new(User.Address, "users/me");

    /// <summary>Starts both at once and waits until both are healthy; stops both if either fails.</summary>
    public static async Task<ServicePair> StartAsync(
        Func<ServiceProcess> startProfile, Func<ServiceProcess, ServiceProcess> startUser, HttpClient http, CancellationToken cancellationToken)
    {
        var profile = startProfile();
        ServicePair? pair = null;
        try
        {
            pair = new ServicePair(profile, startUser(profile));
            await Task.WhenAll(
                pair.Profile.WaitUntilHealthyAsync(http, cancellationToken),
                pair.User.WaitUntilHealthyAsync(http, cancellationToken));
            return pair;
        }
        catch
        {
            await (pair?.DisposeAsync() ?? profile.DisposeAsync());
            throw;
        }
    }

    public void EnsureRunning()
    {
        Profile.EnsureRunning();
        User.EnsureRunning();
    }

    public async ValueTask DisposeAsync()
    {
        await User.DisposeAsync();
        await Profile.DisposeAsync();
    }
}
