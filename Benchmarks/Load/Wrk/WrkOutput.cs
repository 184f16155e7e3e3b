using System.Diagnostics;
using Benchmarks.Load.Driving;

namespace Benchmarks.Load.Wrk;

/// <summary>What callers.lua's done() prints after wrk's own summary: the lines starting "load-".</summary>
internal static class WrkOutput
{
    public static PhaseResult Parse(string output)
    {
        long? requests = null, wrong = null, errorStatuses = null, socketErrors = null, durationMicroseconds = null;
        var latencies = new List<long>(capacity: 1000);
        var failures = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.TrimEntries))
        {
            var (key, value) = line.IndexOf(' ') is var space and > 0 ? (line[..space], line[(space + 1)..]) : (line, "");
            switch (key)
            {
                case "load-requests": requests = long.Parse(value); break;
                case "load-wrong": wrong = long.Parse(value); break;
                case "load-status-errors": errorStatuses = long.Parse(value); break;
                case "load-socket-errors": socketErrors = long.Parse(value); break;
                case "load-duration-us": durationMicroseconds = long.Parse(value); break;
                case "load-failure": failures.Add(value); break;
                case "load-latency": latencies.Add(long.Parse(value) * Stopwatch.Frequency / 1_000_000); break;
            }
        }

        if (requests is null || wrong is null || errorStatuses is null || socketErrors is null || durationMicroseconds is null)
        {
            throw new InvalidOperationException($"wrk's output lacks callers.lua's totals: {output[..Math.Min(output.Length, 500)]}");
        }

        // Checked, every wrong status is a wrong answer too; unchecked, the status is all wrk knows.
        var failedAnswers = Math.Max(wrong.Value, errorStatuses.Value);
        if (failedAnswers > wrong.Value)
        {
            failures.Add($"{errorStatuses} answers had an error status (4xx or 5xx)");
        }
        if (socketErrors > 0)
        {
            failures.Add($"{socketErrors} requests failed on the connection (refused, reset or timed out)");
        }

        return new PhaseResult(
            requests.Value - failedAnswers,
            failedAnswers + socketErrors.Value,
            TimeSpan.FromMicroseconds(durationMicroseconds.Value),
            [.. latencies],
            [],
            failures);
    }
}
