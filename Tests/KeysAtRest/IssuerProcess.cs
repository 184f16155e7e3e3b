using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Tests.Integration;

namespace Tests.KeysAtRest;

/// <summary>
/// The identity service run as a plain process, as an operator would run it, on a data directory
/// of the test's own (a copy of a store) and with the key-encryption key the test gives it.
/// </summary>
internal sealed class IssuerProcess : IAsyncDisposable
{
    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private IssuerProcess(DotnetProcess process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public DotnetProcess Process { get; }

    public Uri Address { get; }

    /// <summary>A key-encryption key of the length the AppHost generates.</summary>
    public static string NewKeyEncryptionKey() => RandomNumberGenerator.GetString(Alphanumerics, 44);

    public static IssuerProcess Start(string dataDirectory, string keyEncryptionKey)
    {
        // Built with the tests, in their configuration: the tests' output folder names both.
        var testsOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var issuerOutput = Path.GetFullPath(Path.Combine(
            Projects.AppHost.ProjectPath, "..", "IdentityService", "bin", testsOutput.Parent!.Name, testsOutput.Name));
        var address = FreeLoopbackAddress();
        var process = DotnetProcess.Start(issuerOutput, [Path.Combine(issuerOutput, "IdentityService.dll")], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = address.GetLeftPart(UriPartial.Authority),
            ["IdentityServer__Issuer"] = address.ToString(),
            ["IdentityServer__DataDirectory"] = dataDirectory,
            ["IdentityServer__RevocationFeedKey"] = RandomNumberGenerator.GetString(Alphanumerics, 40),
            ["IdentityServer__KeyEncryptionKey"] = keyEncryptionKey,
        });
        return new IssuerProcess(process, address);
    }

    /// <summary>Waits until it answers healthy, or has stopped: whether it serves.</summary>
    public async Task<bool> ServesAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address };
        await Polling.UntilAsync(async token => Process.HasExited || await IsHealthyAsync(client, token), done => done, cancellationToken);
        return !Process.HasExited;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static async Task<bool> IsHealthyAsync(HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static Uri FreeLoopbackAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }
}
