using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Tests.Dashboard;

/// <summary>
/// The console output (stdout and stderr) of a resource so far, as the dashboard's Console page
/// shows it: each line with its timestamp, plus the AppHost's own lines about the resource. All of
/// it: the process's output is read from the orchestrator's log of it, not from the AppHost's
/// in-memory backlog of the last 10,000 lines (30,144 lines came back whole after an export test).
/// </summary>
internal static class ResourceConsoleLogs
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    public static async Task<string> ReadAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Single(candidate => candidate.Name == resourceName);
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        var text = new StringBuilder();
        try
        {
            // GetAllAsync(IResource) reads what was written so far and ends; the string overload
            // wants the process's instance name (userservice-abcdefgh) and finds nothing by
            // resource name; WatchAsync never ends.
            await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(timeout.Token))
            {
                foreach (var line in batch)
                {
                    text.AppendLine(line.Content);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Partial output would let a scan pass on what it never saw.
            throw new TimeoutException($"The console output of {resourceName} did not arrive within {ReadTimeout.TotalSeconds} s.");
        }

        return text.ToString();
    }
}
