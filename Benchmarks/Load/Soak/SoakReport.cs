using System.Text;
using Benchmarks.Load.Driving;
using Benchmarks.Load.Reporting;

namespace Benchmarks.Load.Soak;

/// <summary>The soak's results, in markdown: every interval, then each service's growth after the first minute.</summary>
internal static class SoakReport
{
    private static readonly TimeSpan SettledAfter = TimeSpan.FromMinutes(1);

    public static string Write(RunEnvironment environment, SoakSettings settings, IReadOnlyList<SoakSample> samples, long warmUpFailures)
    {
        var report = new StringBuilder();
        report.AppendLine("# Soak results").AppendLine()
            .AppendLine(environment.ToMarkdown())
            .AppendLine($"- run: `load --long`, the Exchange chain for {settings.Duration.TotalMinutes:0.#} min, {settings.Users} users in turn, "
                + $"{settings.Concurrency} concurrent connections; fresh tokens (refresh grants) replaced the users' tokens one at a time, "
                + $"up to {settings.NewTokensPerSecond}/s, {samples.LastOrDefault()?.TokensMinted ?? 0} in all, each new to both services")
            .AppendLine($"- every answer checked: 200 and the caller's own; errors in all: {warmUpFailures + samples.Sum(sample => sample.Load.Failed)}")
            .AppendLine();

        var services = samples.FirstOrDefault()?.WorkingSets.Select(set => set.Service).ToList() ?? [];
        report.AppendLine($"| at s | req/s | p99 ms | errors | new tokens | {string.Join(" | ", services.Select(service => $"{service} MB"))} |")
            .AppendLine($"|---:|---:|---:|---:|---:|{string.Concat(services.Select(_ => "---:|"))}");
        foreach (var sample in samples)
        {
            report.AppendLine($"| {sample.At.TotalSeconds:0} | {sample.Load.Throughput:0} | {Latency.Of([sample.Load.Latencies]).P99:0.00} "
                + $"| {sample.Load.Failed} | {sample.TokensMinted} | {string.Join(" | ", sample.WorkingSets.Select(set => $"{set.Megabytes:0}"))} |");
        }
        report.AppendLine();

        report.AppendLine("## Growth after the first minute").AppendLine();
        var settled = samples.FirstOrDefault(sample => sample.At >= SettledAfter);
        var last = samples.LastOrDefault();
        if (settled is null || last is null || last == settled)
        {
            report.AppendLine("n/a: the soak was too short to have a minute behind it.").AppendLine();
            return report.ToString();
        }

        var minutes = (last.At - settled.At).TotalMinutes;
        report.AppendLine($"| service | MB at {settled.At.TotalSeconds:0} s | MB at {last.At.TotalSeconds:0} s | growth MB | MB per minute |")
            .AppendLine("|---|---:|---:|---:|---:|");
        foreach (var ((service, from), (_, to)) in settled.WorkingSets.Zip(last.WorkingSets))
        {
            report.AppendLine($"| {service} | {from:0} | {to:0} | {to - from:+0;-0;0} | {(to - from) / minutes:+0.0;-0.0;0.0} |");
        }
        report.AppendLine();

        return report.ToString();
    }
}
