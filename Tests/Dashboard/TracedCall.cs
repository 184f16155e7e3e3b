using System.Diagnostics;
using System.Net;

namespace Tests.Dashboard;

/// <summary>
/// A request that starts a trace of the test's choosing (W3C <c>traceparent</c>), so the test
/// finds its own trace in the dashboard among those of the tests running beside it.
/// </summary>
internal static class TracedCall
{
    /// <summary>Sends GET <paramref name="path"/>, expects success, and returns the trace id it ran under.</summary>
    public static async Task<string> GetAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var (traceId, status, _) = await SendAsync(client, HttpMethod.Get, path, cancellationToken);
        Assert.True((int)status is >= 200 and < 300, $"GET {path} answered {status}.");
        return traceId;
    }

    /// <summary>Sends the request, whatever it is answered, and returns its trace id, status and body.</summary>
    public static async Task<(string TraceId, HttpStatusCode Status, string Body)> SendAsync(
        HttpClient client, HttpMethod method, string path, CancellationToken cancellationToken, HttpContent? content = null)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (traceId, response.StatusCode, body + response.Headers + response.Content.Headers);
    }
}
