using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace Tests.Replicas;

/// <summary>One running instance of a service: where it listens itself, and the process it runs in.</summary>
/// <param name="LauncherPid">The process Aspire started (<c>dotnet run</c>), whose child is the service.</param>
public sealed record Replica(Uri Address, int LauncherPid)
{
    // What the .NET runtime names its thread pool's worker threads on Linux.
    private const string ThreadPoolWorker = ".NET TP Worker";

    /// <summary>A client of this instance alone, at its own address, sending <paramref name="token"/>.</summary>
    public HttpClient CreateClient(string token) => new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = Address,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    /// <summary>The worker threads of the service's thread pool now; null while the service has not been started yet.</summary>
    public int? ThreadPoolThreads() =>
        ServicePid() is { } service ? Directory.EnumerateDirectories($"/proc/{service}/task").Count(IsThreadPoolWorker) : null;

    /// <summary>Waits until the service answers at its own address: a restarted replica is reported running before it listens.</summary>
    public async Task AnsweringAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Address };
        await Tests.Integration.Polling.UntilAsync(async token =>
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), token);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, answering => answering, cancellationToken);
    }

    /// <summary>Kills the service at once (SIGKILL), as a crash or an evicted container would end it: nothing of it runs on.</summary>
    public void KillService()
    {
        using var service = Process.GetProcessById(ServicePid() ?? throw new InvalidOperationException("The service has not been started."));
        service.Kill();
    }

    private int? ServicePid()
    {
        var children = File.ReadAllText($"/proc/{LauncherPid}/task/{LauncherPid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return children.Length == 0 ? null : int.Parse(children.Single(), CultureInfo.InvariantCulture);
    }

    private static bool IsThreadPoolWorker(string thread)
    {
        try
        {
            return File.ReadAllText(Path.Combine(thread, "comm")).TrimEnd() == ThreadPoolWorker;
        }
        catch (DirectoryNotFoundException)
        {
            // The thread ended since its directory was listed (the pool retires idle threads).
            return false;
        }
    }
}
