using System.Diagnostics;
using Benchmarks.Load.Driving;
using Benchmarks.Load.Reporting;
using Benchmarks.Load.Services;
using Benchmarks.Load.Tokens;
using Benchmarks.Load.Wrk;
using JwtPropagation;
using Microsoft.Extensions.Hosting;

namespace Benchmarks.Load.Comparison;

/// <summary>
/// `load` and `load --smoke`: the chains side by side on loopback, the same load through each,
/// in alternating rounds, then (`load`) the warm chains through each client in turn, then a fresh pair's warm start, and a UserService instance joining under
/// load. Every service is stopped at the end.
/// </summary>
internal static class ChainComparison
{
    public static async Task<int> RunAsync(ComparisonSettings settings, CancellationToken cancellationToken)
    {
        var environment = RunEnvironment.Capture();
        var took = Stopwatch.StartNew();
        await using var setup = await LoadSetup.StartAsync(settings.Users, settings.Concurrency, cancellationToken);
        var (http, driver, identity, tokens, sessions) = (setup.Http, setup.Driver, setup.Identity, setup.Tokens, setup.Sessions);

        Progress.Say("starting the baseline, floor, Forward, Exchange and gRPC pairs");
        await using var baselinePair = await BaselineServices.StartPairAsync(http, cancellationToken);
        await using var floorPair = await BaselineServices.StartFloorPairAsync(http, cancellationToken);
        await using var forwardPair = await ProductServices.StartPairAsync(identity, TokenPropagationMode.Forward, http, cancellationToken);
        await using var exchangePair = await ProductServices.StartPairAsync(identity, TokenPropagationMode.Exchange, http, cancellationToken);
        await using var grpcPair = await ProductServices.StartGrpcPairAsync(identity, http, cancellationToken);

        var named = new RoundRobinCallers([.. sessions.Select(session => Caller.Named(session.UserId))]);
        var bearers = new RoundRobinCallers([.. sessions.Select(session => Caller.WithToken(session.UserId, session.AccessToken))]);
        var namedBearers = new RoundRobinCallers([.. sessions.Select(session => Caller.NamedWithToken(session.UserId, session.AccessToken))]);
        var wrk = WrkClient.Checking(settings.Concurrency);

        // wrk drives the warm chains' rounds; the harness's own driver their warm-ups, where it checks
        // that every answer is the caller's own (wrk cannot tell whose request an answer is for).
        var warmClients = (WarmUp: (ILoadClient)driver, Rounds: (ILoadClient)wrk);
        Chain[] warmChains =
        [
            new("a", "baseline: ServiceDefaults, no token security", baselinePair, [baselinePair.User, baselinePair.Profile], warmClients, _ => named),
            new("f", "framework floor: a + authentication and authorization at both hops, the token sent on unverified", floorPair, [floorPair.User, floorPair.Profile], warmClients, _ => namedBearers),
            new("b", "Forward: the caller's token sent on", forwardPair, [forwardPair.User, forwardPair.Profile], warmClients, _ => bearers),
            new("c", "Exchange, warm: tokens seen and exchanged before", exchangePair, [exchangePair.User, exchangePair.Profile], warmClients, _ => bearers),
            new("g", "c over gRPC: UserService calls ProfileService's gRPC service", grpcPair, [grpcPair.User, grpcPair.Profile], warmClients, _ => bearers),
        ];
        foreach (var chain in warmChains)
        {
            await RunPhaseAsync(chain, 0, settings.WarmUp, cancellationToken);
        }

        Progress.Say($"minting cold tokens for up to {settings.ColdMintBudget.TotalSeconds:0} s");
        var minting = Stopwatch.StartNew();
        var coldCallers = await ColdTokens.MintAsync(tokens, sessions, settings.ColdMintBudget, 2 * settings.ColdTokenCap, cancellationToken);
        var coldMint = new ColdMint(coldCallers.Length, minting.Elapsed);

        // Half the tokens for each cold chain. Their few hundred to few thousand requests a second
        // leave the harness's own driver little to do, and it stops when a phase's tokens run out.
        var half = coldCallers.Length / 2;
        var phases = settings.Rounds + 1;
        Chain[] coldChains =
        [
            new("d", "Exchange, cold: every token new", exchangePair, [exchangePair.User, exchangePair.Profile, identity.Process], (driver, driver),
                OneShotCallers.SharedOut(new ArraySegment<Caller>(coldCallers, 0, half), phases)),
            new("e", "Forward, cold: every token new", forwardPair, [forwardPair.User, forwardPair.Profile], (driver, driver),
                OneShotCallers.SharedOut(new ArraySegment<Caller>(coldCallers, half, half), phases)),
        ];
        foreach (var chain in coldChains)
        {
            await RunPhaseAsync(chain, 0, settings.WarmUp, cancellationToken);
        }

        Chain[] chains = [.. warmChains, .. coldChains];
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var chain in chains)
            {
                await RunPhaseAsync(chain, round, settings.Round, cancellationToken);
            }
        }

        ClientWeight? clientWeight = null;
        if (settings.ClientWeightRounds > 0)
        {
            Progress.Say("client weight: a, f, b, c through each client in turn");
            var plainWrk = WrkClient.Plain(settings.Concurrency);
            clientWeight = await ClientWeightProbe.RunAsync(
                [.. warmChains.Where(chain => chain.Key is "a" or "f" or "b" or "c")],
                [wrk, plainWrk, driver],
                plainWrk,
                settings.ClientWeightRounds,
                settings.Round,
                cancellationToken);
        }

        Progress.Say("warm start: a fresh Exchange pair");
        var warmStart = await WarmStartProbe.RunAsync(identity, driver, bearers, settings.WarmStart, http, cancellationToken);

        Progress.Say("joining under load: a second UserService instance started while the Exchange pair's is driven");
        var join = await JoinProbe.RunAsync(identity, exchangePair, settings.Concurrency, bearers, settings.WarmStart, cancellationToken);

        var report = ComparisonReport.Write(environment, settings, chains, coldMint, clientWeight, warmStart, join, took.Elapsed);
        Console.WriteLine();
        Console.WriteLine(report);
        if (settings.WritesResults)
        {
            Progress.Say($"written to {ResultsFile.Write("latest.md", report)}");
        }

        var allRan = chains.All(chain => chain.Served > 0) && warmStart.Load.Served > 0 && join.Joining.Served > 0;
        var noneFailed = chains.All(chain => chain.Failed == 0) && (clientWeight?.Clients.All(client => client.Failed == 0) ?? true) && warmStart.Load.Failed == 0 && join.Serving.Failed == 0 && join.Joining.Failed == 0;
        if (!allRan || !noneFailed)
        {
            await Console.Error.WriteLineAsync(allRan ? "FAILED: some answers were wrong or failed" : "FAILED: a chain served nothing");
            return 1;
        }

        return 0;
    }

    private static async Task RunPhaseAsync(Chain chain, int phase, TimeSpan duration, CancellationToken cancellationToken)
    {
        var result = await chain.RunAsync(phase, duration, cancellationToken);
        Progress.Say($"{(phase == 0 ? "warm-up" : $"round {phase}")} {chain.Key}: {result.Throughput:0} req/s, {result.Served} answers, {result.Failed} errors");
    }
}
