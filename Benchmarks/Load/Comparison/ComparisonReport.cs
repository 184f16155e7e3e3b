using System.Text;
using Benchmarks.Load.Driving;
using Benchmarks.Load.Reporting;

namespace Benchmarks.Load.Comparison;

/// <summary>The results of a comparison run, in markdown: the table, the ratios, cold tokens, client weight, warm start.</summary>
internal static class ComparisonReport
{
    public static string Write(
        RunEnvironment environment, ComparisonSettings settings, IReadOnlyList<Chain> chains, ColdMint coldMint, ClientWeight? clientWeight,
        WarmStart warmStart, Join join, TimeSpan took)
    {
        var baseline = chains[0];
        var floor = chains.Single(chain => chain.Key == "f");
        var warm = chains.Single(chain => chain.Key == "c");
        var report = new StringBuilder();

        report.AppendLine("# Load harness results").AppendLine()
            .AppendLine(environment.ToMarkdown())
            .AppendLine($"- run: `{settings.Command}`, {settings.Users} users (user001..user{settings.Users:000}) "
                + $"in turn, {settings.Concurrency} concurrent connections; after a {settings.WarmUp.TotalSeconds:0.#} s warm-up each, "
                + $"{settings.Rounds} round(s) of {settings.Round.TotalSeconds:0.#} s per chain, the chains alternating "
                + $"({string.Join(",", chains.Select(chain => chain.Key))}, ...); took {took.TotalMinutes:0.0} min")
            .AppendLine("- every answer checked, only correct ones count: 200, and both `userId` and `profile.userId` the caller's "
                + "(the harness's own driver), or one and the same of the callers (wrk, which cannot tell whose request an answer is for)")
            .AppendLine($"- load client, on the same two cores as the services: "
                + string.Join("; ", chains.GroupBy(chain => chain.Client.Name).Select(group => $"{group.Key} for the rounds of {string.Join(", ", group.Select(chain => chain.Key))}"))
                + "; " + string.Join("; ", chains.GroupBy(chain => chain.WarmUpClient.Name).Select(group => $"{group.Key} for the warm-ups of {string.Join(", ", group.Select(chain => chain.Key))}")))
            .AppendLine("- client CPU: the harness's process and the wrk it ran (its own and its exited children's CPU time, /proc/self/stat) "
                + "as a share of the CPU the chain took over its rounds: the client's and its services' (of the machine's busy CPU, /proc/stat, "
                + "where nothing else runs: the same)"
                + (clientWeight is null ? "" : "; how far the client's weight moves the ratios: *Client weight* below"))
            .AppendLine();

        report.AppendLine("| chain | req/s | p50 ms | p90 ms | p99 ms | answers | errors | / a | client CPU | working set MB (end of last round) |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var chain in chains)
        {
            var latency = chain.Latency;
            report.AppendLine($"| {chain.Key}. {chain.Title} | {chain.Throughput:0} | {latency.P50:0.00} | {latency.P90:0.00} | {latency.P99:0.00} "
                + $"| {chain.Served} | {chain.Failed} | {chain.Throughput / baseline.Throughput:0.00} | {chain.ClientCpu.ClientShareOfChain:P0} | {WorkingSets(chain.WorkingSets)} |");
        }

        report.AppendLine()
            .AppendLine(string.Join(", ", chains.Skip(1).Select(chain => $"{chain.Key}/a = {chain.Throughput / baseline.Throughput:0.00}")))
            .AppendLine()
            .AppendLine("Above the framework floor f (what the product's own token work costs, on top of what ASP.NET Core's authentication "
                + "and authorization cost any service that checks a bearer token): "
                + string.Join(", ", chains.Where(chain => chain.Key is "b" or "c").Select(chain => $"{chain.Key}/f = {chain.Throughput / floor.Throughput:0.00}")))
            .AppendLine()
            .AppendLine($"The same Exchange chain over gRPC instead of HTTP: g/c = {chains.Single(chain => chain.Key == "g").Throughput / warm.Throughput:0.00}")
            .AppendLine()
            .AppendLine("Round by round (each chain against a in the same round; a spread here means the machine's load changed):")
            .AppendLine();
        foreach (var chain in chains)
        {
            report.AppendLine($"- {chain.Key}: {string.Join(", ", chain.Rounds.Select(round => $"{round.Throughput:0}"))} req/s"
                + (chain == baseline ? "" : $"; /a {string.Join(", ", chain.Rounds.Zip(baseline.Rounds, (round, a) => $"{round.Throughput / a.Throughput:0.00}"))}"));
        }
        report.AppendLine();

        var cold = chains.Where(chain => chain.Key is "d" or "e").ToList();
        report.AppendLine("## Cold tokens").AppendLine()
            .AppendLine($"{coldMint.Tokens} access tokens minted with refresh grants in {coldMint.Took.TotalSeconds:0.0} s "
                + $"({coldMint.PerSecond:0}/s) before the rounds, half for each cold chain, shared out over its warm-up and rounds; "
                + $"each request of {string.Join(" and ", cold.Select(chain => chain.Key))} carried one of them, never used before; "
                + string.Join(", ", cold.Select(chain => $"{chain.Key} answered {chain.Served} in its rounds"))
                + " (a round ends when its tokens run out).")
            .AppendLine();

        if (clientWeight is not null)
        {
            AppendClientWeight(report, clientWeight);
        }

        AppendWarmStart(report, warmStart, warm.Throughput);
        AppendJoin(report, join);

        var failures = chains.SelectMany(chain => chain.FailureSamples.Select(failure => $"- {chain.Key}: {failure}"))
            .Concat(clientWeight?.Clients.SelectMany(client => client.FailureSamples.Select(failure => $"- client weight, {client.Client.Name}: {failure}")) ?? [])
            .Concat(warmStart.Load.FailureSamples.Select(failure => $"- warm start: {failure}"))
            .Concat(join.Serving.FailureSamples.Select(failure => $"- join, serving instance: {failure}"))
            .Concat(join.Joining.FailureSamples.Select(failure => $"- join, joining instance: {failure}"))
            .ToList();
        if (failures.Count > 0)
        {
            report.AppendLine("## Failures (first few)").AppendLine().AppendLine(string.Join(Environment.NewLine, failures)).AppendLine();
        }

        return report.ToString();
    }

    private static void AppendClientWeight(StringBuilder report, ClientWeight weight)
    {
        string[] compared = ["f", "b", "c"];
        var plain = weight.ReferenceFigures;
        report.AppendLine("## Client weight").AppendLine()
            .AppendLine($"The warm chains a, f, b, c driven by each client in turn, the clients interleaved chain by chain in the same window, "
                + $"{weight.Rounds} round(s) of {weight.Round.TotalSeconds:0} s each; other work on the machine moves them alike. "
                + "Client CPU as above, over these rounds, of the chain's CPU and of the machine's busy CPU; the machine's busy share "
                + "says whether the two cores were saturated, and of the busy CPU how much other work took.")
            .AppendLine()
            .AppendLine($"| client | client CPU, of the chain's | of the machine's busy | machine busy | a req/s | {string.Join(" | ", compared.Select(key => $"{key}/a"))} | largest gap to plain wrk | errors |")
            .AppendLine($"|---|---:|---:|---:|---:|{string.Concat(compared.Select(_ => "---:|"))}---:|---:|");
        foreach (var client in weight.Clients)
        {
            var gap = compared.Max(key => Math.Abs(client.Ratio(key, "a") - plain.Ratio(key, "a")));
            report.AppendLine($"| {client.Client.Name} | {client.Cpu.ClientShareOfChain:P0} | {client.Cpu.ClientShareOfBusy:P0} | {client.Cpu.Busy:P0} | {client.Throughput("a"):0} "
                + $"| {string.Join(" | ", compared.Select(key => $"{client.Ratio(key, "a"):0.00}"))} | {gap:0.00} | {client.Failed} |");
        }

        report.AppendLine();
    }

    private static void AppendWarmStart(StringBuilder report, WarmStart warmStart, double steady)
    {
        var perSecond = warmStart.Load.ServedPerSecond;
        report.AppendLine("## Warm start").AppendLine()
            .AppendLine($"A fresh Exchange-mode pair (ProfileService + UserService) reported healthy {warmStart.UntilHealthy.TotalSeconds:0.0} s "
                + $"after its processes started, and was driven at once, as above; its working set after: {WorkingSets(warmStart.WorkingSets)} MB.")
            .AppendLine()
            .AppendLine($"| second | {string.Join(" | ", Enumerable.Range(1, perSecond.Length - 1))} |")
            .AppendLine($"|---|{string.Concat(Enumerable.Repeat("---:|", perSecond.Length - 1))}")
            .AppendLine($"| req/s | {string.Join(" | ", perSecond.SkipLast(1))} |")
            .AppendLine();

        report.AppendLine($"Against c's steady {steady:0} req/s: seconds 5-6 {Ratio(perSecond, 4, 6, steady)}, seconds 7 on {Ratio(perSecond, 6, perSecond.Length - 1, steady)}.")
            .AppendLine();
    }

    private static void AppendJoin(StringBuilder report, Join join)
    {
        var perSecond = join.Joining.ServedPerSecond;
        var before = join.Serving.ServedPerSecond[..JoinProbe.LeadSeconds].Average();
        var ownSteady = perSecond.Length > 7 ? perSecond[5..^1].Average() : double.NaN;
        report.AppendLine("## Joining under load").AppendLine()
            .AppendLine($"A second UserService instance was started while the Exchange pair's served {before:0} req/s on {join.JoiningConnections} connections; "
                + $"it accepted connections {join.UntilListening.TotalSeconds:0.0} s after its process started and was driven at once on "
                + $"{join.JoiningConnections} more, before it reported healthy (its first callers wait for its first read of the issuer's keys "
                + $"and revocations): {join.Joining.Served} correct answers, {join.Joining.Failed} failed or refused, at most "
                + $"{join.JoiningThreadPoolPeak} thread pool threads for {join.JoiningConnections} calls in flight "
                + $"(the serving instance: {join.Serving.Failed} failed).")
            .AppendLine()
            .AppendLine($"| second | {string.Join(" | ", Enumerable.Range(1, perSecond.Length - 1))} |")
            .AppendLine($"|---|{string.Concat(Enumerable.Repeat("---:|", perSecond.Length - 1))}")
            .AppendLine($"| req/s | {string.Join(" | ", perSecond.SkipLast(1))} |")
            .AppendLine()
            .AppendLine(double.IsNaN(ownSteady)
                ? "Too short to compare its first seconds with its later ones."
                : $"Against its own seconds 6 on ({ownSteady:0} req/s, sharing the two cores with the serving instance): "
                    + $"seconds 2-3 {Ratio(perSecond, 1, 3, ownSteady)}, seconds 4-5 {Ratio(perSecond, 3, 5, ownSteady)}.")
            .AppendLine();
    }

    /// <summary>Mean throughput of whole seconds [from, to) as a share of <paramref name="steady"/>.</summary>
    private static string Ratio(long[] perSecond, int from, int to, double steady) =>
        to <= from || to > perSecond.Length
            ? "n/a (too short)"
            : $"{perSecond[from..to].Average() / steady:0.00}";

    private static string WorkingSets(IEnumerable<(string Service, double Megabytes)> workingSets) =>
        string.Join(" · ", workingSets.Select(sample => $"{sample.Service} {sample.Megabytes:0}"));
}
