using Benchmarks.Load.Driving;
using Benchmarks.Load.Processes;
using Benchmarks.Load.Reporting;
using Benchmarks.Load.Services;
using JwtPropagation;

namespace Benchmarks.Load.Profiling;

/// <summary>
/// `load --warm-only [CHECKOUT]`: the framework floor f and the warm chains b (Forward) and c
/// (Exchange) started and warmed, then left running for wrk and a profiler: it prints each chain's
/// address, process ids and wrk command line, and stops everything at a line on standard input.
/// With CHECKOUT (another checkout of the repository, built in the same configuration) it also
/// starts b and c from that build, so two commits can be driven in turn in one window.
/// Results/warm.md tells how it was used.
/// </summary>
internal static class WarmChainRun
{
    private const int Users = 100;
    private const int Concurrency = 32;
    // Long enough for a busy machine: each chain's first requests wait for its first reads of the issuer.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string? otherCheckout, CancellationToken cancellationToken)
    {
        await using var setup = await LoadSetup.StartAsync(Users, Concurrency, cancellationToken);
        var (http, driver, identity, sessions) = (setup.Http, setup.Driver, setup.Identity, setup.Sessions);

        Progress.Say("starting the floor, Forward and Exchange pairs");
        var pairs = new List<(string Key, ServicePair Pair, Caller[] Callers)>();
        var bearers = sessions.Select(session => Caller.WithToken(session.UserId, session.AccessToken)).ToArray();
        var callersFolder = Directory.CreateTempSubdirectory("load-warm-");
        try
        {
            pairs.Add(("f", await BaselineServices.StartFloorPairAsync(http, cancellationToken),
                [.. sessions.Select(session => Caller.NamedWithToken(session.UserId, session.AccessToken))]));
            pairs.Add(("b", await ProductServices.StartPairAsync(identity, TokenPropagationMode.Forward, http, cancellationToken), bearers));
            pairs.Add(("c", await ProductServices.StartPairAsync(identity, TokenPropagationMode.Exchange, http, cancellationToken), bearers));
            if (otherCheckout is not null)
            {
                var other = ServiceBuild.Of(otherCheckout);
                pairs.Add(("b-other", await ProductServices.StartPairAsync(identity, TokenPropagationMode.Forward, other, http, cancellationToken), bearers));
                pairs.Add(("c-other", await ProductServices.StartPairAsync(identity, TokenPropagationMode.Exchange, other, http, cancellationToken), bearers));
            }

            var script = Path.Combine(ServiceBinaries.BenchmarksDirectory, "Load", "Wrk", "callers.lua");
            foreach (var (key, pair, callers) in pairs)
            {
                // The harness's own driver checks every answer is the caller's own; wrk cannot.
                var warmUp = await driver.RunAsync(pair.UsersMe, new RoundRobinCallers(callers), WarmUp, cancellationToken);
                Progress.Say($"{key} warmed: {warmUp.Throughput:0} req/s, {warmUp.Failed} errors {string.Join("; ", warmUp.FailureSamples)}");

                var callersFile = Path.Combine(callersFolder.FullName, $"{key}.tsv");
                await File.WriteAllLinesAsync(
                    callersFile,
                    callers.Select(caller => string.Join('\t', [caller.UserId, .. caller.Headers.Select(header => $"{header.Key}: {header.Value}")])),
                    cancellationToken);
                Console.WriteLine($"chain {key}: user={pair.User.Id} profile={pair.Profile.Id}  LOAD_CHECK_ANSWERS=1 wrk -t2 -c{Concurrency} -d8s -s {script} {pair.UsersMe} -- {callersFile}");
            }

            Progress.Say("running; press Enter to stop every service");
            await Console.In.ReadLineAsync(cancellationToken);
            return 0;
        }
        finally
        {
            foreach (var (_, pair, _) in pairs)
            {
                await pair.DisposeAsync();
            }

            // It holds tokens.
            callersFolder.Delete(recursive: true);
        }
    }
}
