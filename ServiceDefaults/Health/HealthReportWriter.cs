using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Answers a health probe with the status word and, while not healthy, one line per check that
/// does not pass, with what it waits for (<c>issuer-keys: Waiting for the issuer's signing keys ...</c>):
/// enough for the person looking at a replica that is not ready, nothing about the service's data,
/// and never an exception's text.
/// </summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries
            .Where(entry => entry.Value.Status != HealthStatus.Healthy)
            .Select(entry => $"{entry.Key}: {entry.Value.Description ?? entry.Value.Status.ToString()}")
            .Prepend(report.Status.ToString());

        return context.Response.WriteAsync(string.Join('\n', lines), context.RequestAborted);
    }
}
