using Benchmarks.Load.Driving;
using Benchmarks.Load.Reporting;

namespace Benchmarks.Load.Comparison;

/// <summary>
/// How much the client's weight moves the ratios: the same warm chains driven by each client, the
/// clients interleaved chain by chain in the same window (their order turned each round), so a
/// machine whose load changes moves them alike.
/// </summary>
internal static class ClientWeightProbe
{
    public static async Task<ClientWeight> RunAsync(
        IReadOnlyList<Chain> chains, IReadOnlyList<ILoadClient> clients, ILoadClient reference, int rounds, TimeSpan duration, CancellationToken cancellationToken)
    {
        var results = clients.ToDictionary(client => client, _ => chains.ToDictionary(chain => chain.Key, _ => new List<PhaseResult>()));
        for (var round = 0; round < rounds; round++)
        {
            foreach (var chain in chains)
            {
                for (var turn = 0; turn < clients.Count; turn++)
                {
                    var client = clients[(round + turn) % clients.Count];
                    var result = await client.RunMeasuredAsync(chain.Pair.UsersMe, chain.CallersOf(1), duration, chain.ServicesCpu, cancellationToken);
                    chain.Pair.EnsureRunning();
                    results[client][chain.Key].Add(result);
                    Progress.Say($"client weight, round {round + 1} {chain.Key} by {client.Name}: {result.Throughput:0} req/s, "
                        + $"client {result.ClientCpu.ClientShareOfChain:P0} of the chain's CPU, machine {result.ClientCpu.Busy:P0} busy");
                }
            }
        }

        return new ClientWeight(
            [.. clients.Select(client => new ClientFigures(client, results[client].ToDictionary(pair => pair.Key, pair => (IReadOnlyList<PhaseResult>)pair.Value)))],
            reference,
            rounds,
            duration);
    }
}
