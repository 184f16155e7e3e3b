namespace Benchmarks.Load.Driving;

/// <summary>A phase with the load client's CPU time measured around it.</summary>
internal static class MeasuredRun
{
    public static async Task<PhaseResult> RunMeasuredAsync(
        this ILoadClient client, Uri target, ICallerSource callers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var before = CpuTimes.Now();
        var result = await client.RunAsync(target, callers, duration, cancellationToken);
        return result with { ClientCpu = CpuTimes.Now() - before };
    }
}
