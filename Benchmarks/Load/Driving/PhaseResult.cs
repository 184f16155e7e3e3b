namespace Benchmarks.Load.Driving;

/// <summary>What one phase of load did. Only correct answers count as served.</summary>
/// <param name="Latencies">Of each correct answer, in Stopwatch ticks, unsorted.</param>
/// <param name="ServedPerSecond">Correct answers in each second since the phase began.</param>
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
}
