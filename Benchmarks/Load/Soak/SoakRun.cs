using System.Diagnostics;
using Benchmarks.Load.Driving;
using Benchmarks.Load.Reporting;
using Benchmarks.Load.Services;
using Benchmarks.Load.Tokens;
using JwtPropagation;
using Microsoft.Extensions.Hosting;

namespace Benchmarks.Load.Soak;

/// <summary>
/// `load --long`: the Exchange chain under steady load for ten minutes, fresh tokens arriving all
/// along (<see cref="TokenRotation"/>), each service's working set sampled at every interval: does
/// anything grow without bound?
/// </summary>
internal static class SoakRun
{
    public static async Task<int> RunAsync(SoakSettings settings, CancellationToken cancellationToken)
    {
        var environment = RunEnvironment.Capture();
        await using var setup = await LoadSetup.StartAsync(settings.Users, settings.Concurrency, cancellationToken);
        var (http, driver, identity, tokens, sessions) = (setup.Http, setup.Driver, setup.Identity, setup.Tokens, setup.Sessions);
        Progress.Say("starting the Exchange pair");
        await using var pair = await ProductServices.StartPairAsync(identity, TokenPropagationMode.Exchange, http, cancellationToken);

        var callers = new RoundRobinCallers([.. sessions.Select(session => Caller.WithToken(session.UserId, session.AccessToken))]);
        var warmUp = await driver.RunAsync(pair.UsersMe, callers, settings.WarmUp, cancellationToken);
        Progress.Say($"warm-up: {warmUp.Throughput:0} req/s, {warmUp.Failed} errors");

        var rotation = new TokenRotation(tokens, sessions, callers);
        using var stopRotation = new CancellationTokenSource();
        var rotating = rotation.RunAsync(settings.NewTokensPerSecond, stopRotation.Token, cancellationToken);

        var samples = new List<SoakSample>();
        var soaking = Stopwatch.StartNew();
        try
        {
            while (soaking.Elapsed < settings.Duration)
            {
                var interval = Min(settings.SampleEvery, settings.Duration - soaking.Elapsed);
                var load = await driver.RunAsync(pair.UsersMe, callers, interval, cancellationToken);
                pair.EnsureRunning();
                var sample = new SoakSample(soaking.Elapsed, load, rotation.Minted, [
                    (identity.Process.Name, identity.Process.WorkingSetMegabytes()),
                    (pair.User.Name, pair.User.WorkingSetMegabytes()),
                    (pair.Profile.Name, pair.Profile.WorkingSetMegabytes())]);
                samples.Add(sample);
                Progress.Say($"{sample.At.TotalSeconds:0} s: {load.Throughput:0} req/s, {load.Failed} errors, {sample.TokensMinted} new tokens, "
                    + string.Join(", ", sample.WorkingSets.Select(set => $"{set.Service} {set.Megabytes:0} MB")));
            }
        }
        finally
        {
            await stopRotation.CancelAsync();
            await rotating;
        }

        var report = SoakReport.Write(environment, settings, samples, warmUp.Failed);
        Console.WriteLine();
        Console.WriteLine(report);
        if (settings.WritesResults)
        {
            Progress.Say($"written to {ResultsFile.Write("soak.md", report)}");
        }

        if (warmUp.Failed + samples.Sum(sample => sample.Load.Failed) > 0 || samples.Sum(sample => sample.Load.Served) == 0)
        {
            await Console.Error.WriteLineAsync("FAILED: some answers were wrong or failed, or none came");
            return 1;
        }

        return 0;
    }

    private static TimeSpan Min(TimeSpan first, TimeSpan second) => first < second ? first : second;
}
