using System.Diagnostics;

namespace Benchmarks.Load.Driving;

/// <summary>Percentiles of latencies (Stopwatch ticks), in milliseconds.</summary>
internal sealed record Latency(double P50, double P90, double P99)
{
    public static Latency Of(IEnumerable<long[]> latencies)
    {
        var sorted = latencies.SelectMany(ticks => ticks).Order().ToArray();
        return new Latency(Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99));
    }

    // Nearest rank: the smallest latency that at least that share of answers did not exceed.
    private static double Percentile(long[] sorted, double share) =>
        sorted.Length == 0
            ? double.NaN
            : sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
}
