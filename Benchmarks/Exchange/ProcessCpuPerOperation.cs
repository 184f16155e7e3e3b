using System.Diagnostics;

namespace Benchmarks.Exchange;

/// <summary>
/// The whole process's CPU time (every thread: the request's, the GC's, the JIT's) per operation,
/// beside its wall time, from a benchmark's set-up to its clean-up: BenchmarkDotNet reports wall
/// time only, and an operation that waits (on a disk, a lock) takes more wall time than CPU.
/// BenchmarkDotNet's own work between iterations (a forced GC each) is counted too: a slight excess.
/// </summary>
internal sealed class ProcessCpuPerOperation
{
    private readonly TimeSpan _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private long _operations;

    public void Count() => _operations++;

    /// <summary>
    /// Written to the console, in the run's log under the benchmark it belongs to (a global
    /// clean-up runs after its benchmark's results): BenchmarkDotNet has no column for it.
    /// </summary>
    public void Report()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart;
        var operations = Math.Max(_operations, 1);
        Console.WriteLine(
            $"// CPU per op: {cpu.TotalMicroseconds / operations:F0} µs of process CPU, " +
            $"{_wall.Elapsed.TotalMicroseconds / operations:F0} µs wall, over {_operations} ops");
    }
}
