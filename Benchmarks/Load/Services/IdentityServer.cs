using System.Security.Cryptography;
using Benchmarks.Load.Processes;

namespace Benchmarks.Load.Services;

/// <summary>
/// The real IdentityService, set up as the AppHost sets it up (AppHost/AppHost.cs,
/// IdentityExtensions.cs), in Development: that seeds the dev users and allows the password grant.
/// Its database and keys live in a fresh folder, deleted when it stops.
/// </summary>
internal sealed class IdentityServer : IAsyncDisposable
{
    /// <summary>The confidential client UserService exchanges tokens as.</summary>
    public const string ExchangeClientId = "userservice";

    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private readonly string _dataDirectory;

    private IdentityServer(ServiceProcess process, string dataDirectory, string exchangeClientSecret, string revocationFeedKey)
    {
        Process = process;
        _dataDirectory = dataDirectory;
        ExchangeClientSecret = exchangeClientSecret;
        RevocationFeedKey = revocationFeedKey;
    }

    public ServiceProcess Process { get; }

    /// <summary>The one issuer value every service is given, as the AppHost does.</summary>
    public string Issuer => Process.Address.ToString();

    public string ExchangeClientSecret { get; }

    /// <summary>What the revocation feed's user names are keyed with, shared with the services as the AppHost shares it.</summary>
    public string RevocationFeedKey { get; }

    public static async Task<IdentityServer> StartAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("load-identity-").FullName;
        var secret = RandomNumberGenerator.GetString(Alphanumerics, 40);
        var feedKey = RandomNumberGenerator.GetString(Alphanumerics, 40);

        // The issuer names the process's own address, so the port is picked first.
        var port = FreePort.Next();
        var process = ServiceProcess.Start("identity", ServiceBinaries.IdentityService, port, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            // Development logs OpenIddict's every request at Information; deployed, it warns only.
            ["Logging__LogLevel__OpenIddict"] = "Warning",
            ["IdentityServer__Issuer"] = $"http://127.0.0.1:{port}/",
            ["IdentityServer__DataDirectory"] = dataDirectory,
            [$"IdentityServer__ServiceClients__{ExchangeClientId}__Secret"] = secret,
            [$"IdentityServer__ServiceClients__{ExchangeClientId}__Audiences__0"] = "profileservice",
            ["IdentityServer__RevocationFeedKey"] = feedKey,
            ["IdentityServer__KeyEncryptionKey"] = RandomNumberGenerator.GetString(Alphanumerics, 44),

            // Every simulated user signs in from loopback, thousands a run: the allowance per
            // address is for a deployment's callers. UserService keeps its client's allowance.
            ["IdentityServer__RateLimits__PerAddress__Burst"] = "1000000",
            ["IdentityServer__RateLimits__PerAddress__PerSecond"] = "1000000",
        });

        var identity = new IdentityServer(process, dataDirectory, secret, feedKey);
        try
        {
            await process.WaitUntilHealthyAsync(http, cancellationToken);
            return identity;
        }
        catch
        {
            await identity.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
