using System.Diagnostics;
using Benchmarks.Load.Driving;
using Benchmarks.Load.Processes;
using Benchmarks.Load.Reporting;
using Benchmarks.Load.Services;
using Benchmarks.Load.Tokens;
using JwtPropagation;

namespace Benchmarks.Load.Profiling;

/// <summary>
/// `load --cold-only`: chain d alone (Exchange mode, every token new), for a profiler to attach to
/// its three processes. It prints their process ids, waits for a line on standard input (the
/// profilers are attached), drives chain d until its tokens or the time run out, and prints the CPU
/// time each process spent per answer. Results/exchange.md tells how it was used.
/// </summary>
internal static class ColdChainRun
{
    private const int Users = 100;
    private const int Concurrency = 32;
    private static readonly TimeSpan MintBudget = TimeSpan.FromSeconds(60);
    private const int TokenCap = 12_000;
    private const int WarmUpTokens = 1_000;
    private static readonly TimeSpan Drive = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var setup = await LoadSetup.StartAsync(Users, Concurrency, cancellationToken);
        var (http, driver, identity, tokens, sessions) = (setup.Http, setup.Driver, setup.Identity, setup.Tokens, setup.Sessions);
        Progress.Say("starting the Exchange pair");
        await using var pair = await ProductServices.StartPairAsync(identity, TokenPropagationMode.Exchange, http, cancellationToken);

        Progress.Say($"minting cold tokens for up to {MintBudget.TotalSeconds:0} s");
        var callers = await ColdTokens.MintAsync(tokens, sessions, MintBudget, TokenCap, cancellationToken);
        if (callers.Length <= WarmUpTokens)
        {
            await Console.Error.WriteLineAsync($"only {callers.Length} tokens minted: too few to warm up and measure");
            return 1;
        }

        // The cold path jitted and tiered up before anything is measured.
        var warmUp = await driver.RunAsync(pair.UsersMe, new OneShotCallers(new(callers, 0, WarmUpTokens)), Drive, cancellationToken);
        Progress.Say($"warm-up: {warmUp.Throughput:0} req/s, {warmUp.Served} answers, {warmUp.Failed} errors");

        ServiceProcess[] processes = [identity.Process, pair.User, pair.Profile];
        Console.WriteLine($"pids: {string.Join(' ', processes.Select(process => $"{process.Name}={process.Id}"))}");
        Progress.Say("attach the profilers, then press Enter");
        await Console.In.ReadLineAsync(cancellationToken);

        var cpuBefore = processes.Select(process => process.ProcessorTime()).ToArray();
        var measured = new OneShotCallers(new(callers, WarmUpTokens, callers.Length - WarmUpTokens));
        var result = await driver.RunAsync(pair.UsersMe, measured, Drive, cancellationToken);
        var cpuAfter = processes.Select(process => process.ProcessorTime()).ToArray();
        pair.EnsureRunning();

        Progress.Say($"measured: {result.Throughput:0} req/s, {result.Served} answers, {result.Failed} errors in {result.Elapsed.TotalSeconds:0.0} s");
        for (var index = 0; index < processes.Length; index++)
        {
            var cpu = cpuAfter[index] - cpuBefore[index];
            Console.WriteLine(
                $"  {processes[index].Name,-16} CPU {cpu.TotalSeconds,6:0.00} s  {cpu.TotalMicroseconds / Math.Max(1, result.Served),7:0} µs per answer");
        }

        return result.Failed == 0 && result.Served > 0 ? 0 : 1;
    }
}
