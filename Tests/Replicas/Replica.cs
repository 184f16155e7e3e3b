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
    public int? ThreadPoolThreads()
    {
        var children = File.ReadAllText($"/proc/{LauncherPid}/task/{LauncherPid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (children.Length == 0)
        {
            return null;
        }

        var service = int.Parse(children.Single(), CultureInfo.InvariantCulture);
        return Directory.EnumerateDirectories($"/proc/{service}/task").Count(IsThreadPoolWorker);
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
