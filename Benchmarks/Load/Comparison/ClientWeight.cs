using Benchmarks.Load.Driving;

namespace Benchmarks.Load.Comparison;

/// <summary>The warm chains through each client in turn: each client's figures, chain by chain.</summary>
/// <param name="Reference">The client the others are held against: plain wrk, as a reader would run it.</param>
internal sealed record ClientWeight(IReadOnlyList<ClientFigures> Clients, ILoadClient Reference, int Rounds, TimeSpan Round)
{
    public ClientFigures ReferenceFigures => Clients.Single(client => client.Client == Reference);
}

/// <summary>One client's rounds of each chain (keyed by the chain's letter).</summary>
internal sealed record ClientFigures(ILoadClient Client, IReadOnlyDictionary<string, IReadOnlyList<PhaseResult>> RoundsOfChain)
{
    public double Throughput(string chain) =>
        RoundsOfChain[chain].Sum(round => round.Served) / RoundsOfChain[chain].Sum(round => round.Elapsed.TotalSeconds);

    public double Ratio(string chain, string baseline) => Throughput(chain) / Throughput(baseline);

    public CpuTimes Cpu => RoundsOfChain.Values.SelectMany(rounds => rounds).Aggregate(default(CpuTimes), (sum, round) => sum + round.ClientCpu);

    public long Failed => RoundsOfChain.Values.SelectMany(rounds => rounds).Sum(round => round.Failed);

    public IEnumerable<string> FailureSamples => RoundsOfChain.Values.SelectMany(rounds => rounds).SelectMany(round => round.FailureSamples).Take(5);
}
