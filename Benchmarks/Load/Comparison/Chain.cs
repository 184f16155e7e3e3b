using Benchmarks.Load.Driving;
using Benchmarks.Load.Processes;
using Benchmarks.Load.Services;

namespace Benchmarks.Load.Comparison;

/// <summary>
/// One compared chain: the pair the load goes through, the processes whose memory is watched, the
/// clients that drive it (one for the warm-up, one for the rounds), who calls in each phase (0 is
/// the warm-up, then one per round), and what its rounds did.
/// </summary>
internal sealed class Chain(
    string key,
    string title,
    ServicePair pair,
    IReadOnlyList<ServiceProcess> watched,
    (ILoadClient WarmUp, ILoadClient Rounds) clients,
    Func<int, ICallerSource> callersOfPhase)
{
    private readonly List<PhaseResult> _rounds = [];

    public string Key { get; } = key;

    public string Title { get; } = title;

    public ServicePair Pair { get; } = pair;

    /// <summary>What drives the rounds.</summary>
    public ILoadClient Client { get; } = clients.Rounds;

    /// <summary>What drives the warm-up: one that checks each answer is the caller's own.</summary>
    public ILoadClient WarmUpClient { get; } = clients.WarmUp;

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

    /// <summary>The load client's CPU time over all rounds together, its services' and the machine's.</summary>
    public CpuTimes ClientCpu => _rounds.Aggregate(default(CpuTimes), (sum, round) => sum + round.ClientCpu);

    public IEnumerable<string> FailureSamples =>
        new[] { WarmUp }.Concat(_rounds).SelectMany(phase => phase?.FailureSamples ?? []).Take(5);

    /// <summary>The CPU time of the watched processes so far: the chain's services.</summary>
    public IEnumerable<TimeSpan> ServicesCpu() => watched.Select(process => process.ProcessorTime());

    /// <summary>Who calls in a phase (for a warm chain, the same callers in every phase).</summary>
    public ICallerSource CallersOf(int phase) => callersOfPhase(phase);

    public async Task<PhaseResult> RunAsync(int phase, TimeSpan duration, CancellationToken cancellationToken)
    {
        var result = await (phase == 0 ? WarmUpClient : Client).RunMeasuredAsync(Pair.UsersMe, callersOfPhase(phase), duration, ServicesCpu, cancellationToken);
        Pair.EnsureRunning();
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
