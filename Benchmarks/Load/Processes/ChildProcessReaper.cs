using System.Collections.Concurrent;
using System.Diagnostics;

namespace Benchmarks.Load.Processes;

/// <summary>
/// The safety net under <see cref="ServiceProcess.DisposeAsync"/>: whatever child is still running
/// when the harness process exits (SIGTERM, a path that skipped disposal) is killed with its tree,
/// so no service outlives the run.
/// </summary>
internal static class ChildProcessReaper
{
    private static readonly ConcurrentDictionary<int, Process> Children = new();

    static ChildProcessReaper() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public static void Track(Process process) => Children[process.Id] = process;

    public static void Forget(Process process) => Children.TryRemove(process.Id, out _);

    private static void KillAll()
    {
        foreach (var process in Children.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }
        }
    }
}
