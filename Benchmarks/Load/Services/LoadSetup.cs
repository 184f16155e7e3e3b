using Benchmarks.Load.Driving;
using Benchmarks.Load.Reporting;
using Benchmarks.Load.Tokens;

namespace Benchmarks.Load.Services;

/// <summary>
/// What every load run starts with: a client for the harness's own calls, the load driver, the
/// issuer started and users 1..N signed in. Disposing it stops the issuer.
/// </summary>
internal sealed class LoadSetup : IAsyncDisposable
{
    private LoadSetup(HttpClient http, LoadDriver driver, IdentityServer identity, TokenClient tokens, UserSession[] sessions)
    {
        Http = http;
        Driver = driver;
        Identity = identity;
        Tokens = tokens;
        Sessions = sessions;
    }

    public HttpClient Http { get; }

    public LoadDriver Driver { get; }

    public IdentityServer Identity { get; }

    public TokenClient Tokens { get; }

    public UserSession[] Sessions { get; }

    public static async Task<LoadSetup> StartAsync(int users, int concurrency, CancellationToken cancellationToken)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var driver = new LoadDriver(concurrency);
        IdentityServer? identity = null;
        try
        {
            Progress.Say("starting identity");
            identity = await IdentityServer.StartAsync(http, cancellationToken);
            var tokens = new TokenClient(http, identity.Process.Address);
            Progress.Say($"signing in {users} users");
            var sessions = await UserSession.SignInAsync(tokens, users, cancellationToken);
            return new LoadSetup(http, driver, identity, tokens, sessions);
        }
        catch
        {
            if (identity is not null)
            {
                await identity.DisposeAsync();
            }

            driver.Dispose();
            http.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Identity.DisposeAsync();
        Driver.Dispose();
        Http.Dispose();
    }
}
