using System.Diagnostics;
using Benchmarks.Load.Driving;
using Benchmarks.Load.Processes;
using Benchmarks.Load.Services;
using JwtPropagation;
using Microsoft.Extensions.Hosting;

namespace Benchmarks.Load.Comparison;

/// <summary>
/// A second UserService instance joins the warm Exchange pair's while that one is driven: started
/// once the load is under way, and driven from the moment it accepts connections, before it reports
/// healthy, as behind a platform that probes only the port. Each instance gets half the connections.
/// </summary>
internal static class JoinProbe
{
    // The serving instance's load runs this long before the new instance is started, and on for
    // as long as the new one may take to start, then is driven.
    public const int LeadSeconds = 2;
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(LeadSeconds);
    private static readonly TimeSpan StartAllowance = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ThreadSampleInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<Join> RunAsync(
        IdentityServer identity, ServicePair pair, int concurrency, ICallerSource callers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var connections = concurrency / 2;
        using var servingDriver = new LoadDriver(connections);
        using var joiningDriver = new LoadDriver(connections);
        var serving = servingDriver.RunAsync(pair.UsersMe, callers, Lead + StartAllowance + duration, cancellationToken);
        await Task.Delay(Lead, cancellationToken);

        var started = Stopwatch.GetTimestamp();
        await using var joining = ProductServices.StartUserService("userservice-2", identity, pair.Profile, TokenPropagationMode.Exchange);
        await joining.WaitUntilListeningAsync(cancellationToken);
        var untilListening = Stopwatch.GetElapsedTime(started);

        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var peak = SampleThreadPoolPeakAsync(joining, sampling.Token);
        var joined = await joiningDriver.RunAsync(new Uri(joining.Address, "users/me"), callers, duration, cancellationToken);
        await sampling.CancelAsync();
        joining.EnsureRunning();

        return new Join(await serving, joined, untilListening, await peak, connections);
    }

    private static async Task<int> SampleThreadPoolPeakAsync(ServiceProcess service, CancellationToken stop)
    {
        var peak = 0;
        using var timer = new PeriodicTimer(ThreadSampleInterval);
        try
        {
            do
            {
                peak = Math.Max(peak, service.ThreadPoolThreads());
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        return peak;
    }
}
