namespace Benchmarks.Load.Driving;

/// <summary>What one phase of load did. Only correct answers count as served.</summary>
/// <param name="Latencies">Of each correct answer, in Stopwatch ticks, unsorted (from wrk: its latency at every 0.1% of answers).</param>
/// <param name="ServedPerSecond">Correct answers in each second since the phase began (none from wrk).</param>
/// <param name="FailureSamples">The first few failures, told (never with a token).</param>
internal sealed record PhaseResult(
    long Served,
    long Failed,
    TimeSpan Elapsed,
    long[] Latencies,
    long[] ServedPerSecond,
    IReadOnlyList<string> FailureSamples)
{
    public double Throughput => Served / Elapsed.TotalSeconds;

    /// <summary>The load client's CPU time over the phase, and the machine's (see <see cref="MeasuredRun"/>).</summary>
    public CpuTimes ClientCpu { get; init; }
}
