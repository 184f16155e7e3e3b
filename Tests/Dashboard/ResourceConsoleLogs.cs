using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Tests.Dashboard;

/// <summary>
/// The console output (stdout and stderr) of a resource so far, as the dashboard's Console page
/// shows it: each line with its timestamp, plus the AppHost's own lines about the resource.
/// </summary>
internal static class ResourceConsoleLogs
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    public static async Task<string> ReadAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken) =>
        (await ReadNumberedAsync(app, resourceName, cancellationToken)).Text;

    /// <summary>
    /// The console output so far, with the numbers of its first and last lines: the backlog is
    /// bounded, and a first line numbered above 1 says how much of the start it has dropped.
    /// </summary>
    public static async Task<(string Text, int FirstLine, int LastLine)> ReadNumberedAsync(
        DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Single(candidate => candidate.Name == resourceName);
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        var text = new StringBuilder();
        int? first = null;
        var last = 0;
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
                    first ??= line.LineNumber;
                    last = line.LineNumber;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Partial output would let a scan pass on what it never saw.
            throw new TimeoutException($"The console output of {resourceName} did not arrive within {ReadTimeout.TotalSeconds} s.");
        }

        return (text.ToString(), first ?? 0, last);
    }
}
