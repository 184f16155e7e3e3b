using Benchmarks.Load.Driving;
using Benchmarks.Load.Processes;
using Benchmarks.Load.Services;

namespace Benchmarks.Load.Comparison;

/// <summary>
/// One compared chain: the pair the load goes through, the processes whose memory is watched, who
/// calls in each phase (0 is the warm-up, then one per round), and what its rounds did.
/// </summary>
internal sealed class Chain(
    string key, string title, ServicePair pair, IReadOnlyList<ServiceProcess> watched, Func<int, ICallerSource> callersOfPhase)
{
    private readonly List<PhaseResult> _rounds = [];

    public string Key { get; } = key;

    public string Title { get; } = title;

    public PhaseResult? WarmUp { get; private set; }

    public IReadOnlyList<PhaseResult> Rounds => _rounds;

    /// <summary>Each watched process's working set, sampled at the end of the last phase.</summary>
    public IReadOnlyList<(string Service, double Megabytes)> WorkingSets { get; private set; } = [];

    public long Served => _rounds.Sum(round => round.Served);

    /// <summary>Failures of every phase, the warm-up's too: a wrong answer anywhere fails the run.</summary>
    public long Failed => (WarmUp?.Failed ?? 0) + _rounds.Sum(round => round.Failed);

    /// <summary>Correct answers per second over all rounds together.</summary>
    public double Throughput => Served / _rounds.Sum(round => round.Elapsed.TotalSeconds);

    public Latency Latency => Latency.Of(_rounds.Select(round => round.Latencies));

    public IEnumerable<string> FailureSamples =>
        new[] { WarmUp }.Concat(_rounds).SelectMany(phase => phase?.FailureSamples ?? []).Take(5);

    public async Task<PhaseResult> RunAsync(LoadDriver driver, int phase, TimeSpan duration, CancellationToken cancellationToken)
    {
        var result = await driver.RunAsync(pair.UsersMe, callersOfPhase(phase), duration, cancellationToken);
        pair.EnsureRunning();
        WorkingSets = [.. watched.Select(process => (process.Name, process.WorkingSetMegabytes()))];

        if (phase == 0)
        {
            WarmUp = result;
        }
        else
        {
            _rounds.Add(result);
        }

        return result;
    }
}
