using System.Diagnostics;
using System.Net.Sockets;

namespace Benchmarks.Load.Processes;

/// <summary>
/// One service as a child process: <c>dotnet SERVICE.dll --urls http://127.0.0.1:PORT</c> on a free
/// loopback port, run from the dll's folder (its content root, where appsettings.json sits). Its
/// output is drained, the last lines kept to tell why it died; disposing kills its whole tree.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    // Generous: the machine may be busy building; a healthy start takes a few seconds.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan HealthPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _process;
    private readonly OutputTail _output = new();
    private readonly Task _draining;

    private ServiceProcess(string name, Uri address, Process process)
    {
        Name = name;
        Address = address;
        _process = process;
        _draining = Task.WhenAll(
            Task.Run(() => _output.DrainAsync(process.StandardOutput.BaseStream)),
            Task.Run(() => _output.DrainAsync(process.StandardError.BaseStream)));
    }

    public string Name { get; }

    /// <summary>The process id, for a profiler to attach to.</summary>
    public int Id => _process.Id;

    /// <summary>The service's root address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts <paramref name="dll"/> on <paramref name="port"/> (see <see cref="FreePort"/>).</summary>
    public static ServiceProcess Start(
        string name, string dll, int port, IReadOnlyDictionary<string, string> environment, params IEnumerable<string> arguments)
    {
        var address = new Uri($"http://127.0.0.1:{port}/");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(address.GetLeftPart(UriPartial.Authority));

        // No exporter for any chain: nothing collects telemetry here, and an exporter retrying a
        // missing collector would cost the services CPU the measurement should not include.
        startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        return new ServiceProcess(name, address, Process.Start(startInfo)!);
    }

    /// <summary>Waits until <c>/health</c> answers 200; fails at once if the process dies meanwhile.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var health = new Uri(Address, "health");
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            EnsureRunning();
            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetElapsedTime(started) > StartTimeout)
            {
                throw new TimeoutException($"{Name} was not healthy within {StartTimeout.TotalSeconds:0} s.{LastLines()}");
            }

            await Task.Delay(HealthPollInterval, cancellationToken);
        }
    }

    /// <summary>Waits until the service accepts connections (before it may report healthy); fails at once if the process dies meanwhile.</summary>
    public async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            EnsureRunning();
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(Address.Host, Address.Port, cancellationToken);
                return;
            }
            catch (SocketException) when (Stopwatch.GetElapsedTime(started) < StartTimeout)
            {
                await Task.Delay(HealthPollInterval, cancellationToken);
            }
        }
    }

    /// <summary>The worker threads of the service's thread pool now (the runtime names them so on Linux).</summary>
    public int ThreadPoolThreads() =>
        Directory.EnumerateDirectories($"/proc/{_process.Id}/task")
            .Count(thread => File.Exists(Path.Combine(thread, "comm")) && File.ReadAllText(Path.Combine(thread, "comm")).TrimEnd() == ".NET TP Worker");

    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            // Its last words may still be in the pipe.
            _draining.Wait(TimeSpan.FromSeconds(2));
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}.{LastLines()}");
        }
    }

    /// <summary>The CPU time the process has used so far.</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public double WorkingSetMegabytes()
    {
        _process.Refresh();
        return _process.WorkingSet64 / (1024.0 * 1024.0);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _draining;
        _process.Dispose();
    }

    private string LastLines() =>
        _output.LastLines() is { Count: > 0 } lines
            ? $" Its last lines:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}"
            : " It wrote nothing.";
}
