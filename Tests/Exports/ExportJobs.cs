using System.Net;
using System.Net.Http.Json;
using Tests.Integration;

namespace Tests.Exports;

/// <summary>Queueing an export and reading it back, as its owner does.</summary>
internal static class ExportJobs
{
    public static async Task<Uri> QueueAsync(HttpClient userService, CancellationToken cancellationToken)
    {
        using var response = await userService.PostAsync(new Uri("/users/me/exports", UriKind.Relative), content: null, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location ?? throw new InvalidOperationException("A queued export has no Location.");

        // Its path: any replica answers for the job, not only the one whose address the Location names.
        return new Uri(location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString, UriKind.Relative);
    }

    public static Task<ExportJobBody?> ReadAsync(HttpClient userService, Uri location, CancellationToken cancellationToken) =>
        userService.GetFromJsonAsync<ExportJobBody>(location, cancellationToken);

    /// <summary>The job once it has finished, read as its owner.</summary>
    public static async Task<ExportJobBody> FinishedAsync(HttpClient userService, Uri location, CancellationToken cancellationToken) =>
        (await Polling.UntilAsync(token => ReadAsync(userService, location, token), job => job?.Status is "Succeeded" or "Failed", cancellationToken))!;
}

internal sealed record ExportJobBody(Guid Id, string Owner, string Status, UserSummaryBody? Result, string? FailureReason);
