using System.Globalization;
using System.Runtime.InteropServices;
using Benchmarks.Load.Comparison;
using Benchmarks.Load.Profiling;
using Benchmarks.Load.Soak;

namespace Benchmarks.Load;

/// <summary>
/// The load harness: how much the product's token security costs on top of the Aspire
/// ServiceDefaults stack. On loopback it starts, as plain processes, a baseline pair (Baseline/:
/// the same two services on ServiceDefaults, no token security), and the real IdentityService,
/// ProfileService and UserService; it drives them alternately with the same load and checks every
/// answer. Chains: (a) baseline, (f) the framework floor, (b) Forward mode, (c) Exchange mode warm,
/// (g) c over gRPC, (d) Exchange mode and (e) Forward mode with a new token on every request. wrk
/// drives the warm chains (Load/Wrk/), light enough not to cap them on the services' cores. No
/// process it starts outlives it.
/// <code>
/// dotnet run -c Release --project Benchmarks -- load                           # ~10 min; writes Benchmarks/results/latest.md
/// dotnet run -c Release --project Benchmarks -- load --smoke                   # ~1 min, for CI; fails on any wrong answer
/// dotnet run -c Release --project Benchmarks -- load --long [--duration SECONDS] # soak, 10 min; writes results/soak.md
/// dotnet run -c Release --project Benchmarks -- load --cold-only               # chain d alone, for a profiler (results/exchange.md)
/// dotnet run -c Release --project Benchmarks -- load --warm-only [CHECKOUT]    # f, b, c warm for wrk and a profiler (results/warm.md)
/// </code>
/// </summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Figures in one format, whatever the machine's locale.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        // Ctrl+C, a closing terminal or a plain kill: unwind instead of dying, so every service is
        // stopped on the way out. A second signal is not held back.
        using var cancellation = new CancellationTokenSource();
        PosixSignal? stoppedBy = null;
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = !cancellation.IsCancellationRequested;
            stoppedBy ??= signal.Signal;
            cancellation.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);

        try
        {
            return args switch
            {
                [] => await ChainComparison.RunAsync(ComparisonSettings.Full, cancellation.Token),
                ["--smoke"] => await ChainComparison.RunAsync(ComparisonSettings.Smoke, cancellation.Token),
                ["--cold-only"] => await ColdChainRun.RunAsync(cancellation.Token),
                ["--warm-only"] => await WarmChainRun.RunAsync(otherCheckout: null, cancellation.Token),
                ["--warm-only", var otherCheckout] => await WarmChainRun.RunAsync(otherCheckout, cancellation.Token),
                ["--long"] => await SoakRun.RunAsync(SoakSettings.Full, cancellation.Token),
                ["--long", "--duration", var seconds] when int.TryParse(seconds, out var duration) && duration > 0 =>
                    await SoakRun.RunAsync(SoakSettings.Full with { Duration = TimeSpan.FromSeconds(duration) }, cancellation.Token),
                _ => await UsageAsync(),
            };
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"stopped by {stoppedBy}; every service was stopped");
            return 130;
        }
        catch (Exception exception)
        {
            await Console.Error.WriteLineAsync($"load harness failed; every service was stopped: {exception}");
            return 1;
        }
    }

    private static async Task<int> UsageAsync()
    {
        await Console.Error.WriteLineAsync("usage: load [--smoke | --cold-only | --warm-only [CHECKOUT] | --long [--duration SECONDS]]");
        return 2;
    }
}
