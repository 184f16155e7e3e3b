using System.ComponentModel;
using System.Diagnostics;
using Benchmarks.Load.Driving;
using Benchmarks.Load.Processes;

namespace Benchmarks.Load.Wrk;

/// <summary>
/// Debian's wrk, a light C client, as the load client: it leaves the two cores to the services
/// where the harness's own .NET driver would take a share and cap the faster chains. It sends the
/// callers in turn (callers.lua beside this file) from a file in a folder only this user may read
/// (it holds tokens), deleted after the phase. Only for callers in turn: one-shot callers stay
/// with <see cref="LoadDriver"/>.
/// </summary>
internal sealed class WrkClient : ILoadClient
{
    private const string Executable = "wrk";
    private static readonly TimeSpan ExitAllowance = TimeSpan.FromSeconds(30);

    // Two threads, as one runs wrk on two cores: each runnable thread of the client takes its turn
    // on the cores from the services, so more threads would make a heavier client.
    private const int Threads = 2;

    private readonly int _connections;
    private readonly bool _checksAnswers;

    private WrkClient(string name, int connections, bool checksAnswers)
    {
        Name = name;
        _connections = connections;
        _checksAnswers = checksAnswers;
    }

    public string Name { get; }

    /// <summary>The harness's client: every answer's status and user ids checked (callers.lua).</summary>
    public static WrkClient Checking(int connections) =>
        new($"wrk -t{Threads} -c{connections}, every answer's status and user ids checked", connections, checksAnswers: true);

    /// <summary>wrk checking nothing but the status: what a reader's own figures compare with.</summary>
    public static WrkClient Plain(int connections) =>
        new($"plain wrk -t{Threads} -c{connections}, nothing checked", connections, checksAnswers: false);

    public async Task<PhaseResult> RunAsync(Uri target, ICallerSource callers, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (callers is not RoundRobinCallers rotation)
        {
            throw new ArgumentException("wrk sends a fixed list of callers in turn; one-shot callers go through LoadDriver.", nameof(callers));
        }

        var folder = Directory.CreateTempSubdirectory("load-wrk-");
        try
        {
            var callersFile = Path.Combine(folder.FullName, "callers.tsv");
            await File.WriteAllLinesAsync(
                callersFile,
                rotation.Current.Select(caller => string.Join('\t', [caller.UserId, .. caller.Headers.Select(header => $"{header.Key}: {header.Value}")])),
                cancellationToken);
            return WrkOutput.Parse(await RunWrkAsync(target, callersFile, duration, cancellationToken));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task<string> RunWrkAsync(Uri target, string callersFile, TimeSpan duration, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-t", $"{Threads}", "-c", $"{_connections}",
            // wrk takes whole seconds.
            "-d", $"{Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds))}s",
            "--timeout", "10s",
            "-s", Path.Combine(ServiceBinaries.BenchmarksDirectory, "Load", "Wrk", "callers.lua"),
            target.ToString(), "--", callersFile,
        })
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment["LOAD_CHECK_ANSWERS"] = _checksAnswers ? "1" : "0";

        Process wrk;
        try
        {
            wrk = Process.Start(startInfo)!;
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException("The load harness drives its chains with wrk: install it (Debian: apt-get install wrk).", exception);
        }

        using (wrk)
        using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            bounded.CancelAfter(duration + ExitAllowance);
            try
            {
                var output = wrk.StandardOutput.ReadToEndAsync(bounded.Token);
                var errors = wrk.StandardError.ReadToEndAsync(bounded.Token);
                await wrk.WaitForExitAsync(bounded.Token);
                return wrk.ExitCode == 0
                    ? await output
                    : throw new InvalidOperationException($"wrk exited with {wrk.ExitCode}: {await errors}");
            }
            finally
            {
                if (!wrk.HasExited)
                {
                    wrk.Kill(entireProcessTree: true);
                    await wrk.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
    }
}
