namespace Benchmarks.Load.Driving;

/// <summary>A phase with the CPU time of the load client and of the services it drives measured around it.</summary>
internal static class MeasuredRun
{
    public static async Task<PhaseResult> RunMeasuredAsync(
        this ILoadClient client, Uri target, ICallerSource callers, TimeSpan duration, Func<IEnumerable<TimeSpan>> servicesCpu, CancellationToken cancellationToken)
    {
        var before = CpuTimes.Now(servicesCpu());
        var result = await client.RunAsync(target, callers, duration, cancellationToken);
        return result with { ClientCpu = CpuTimes.Now(servicesCpu()) - before };
    }
}
