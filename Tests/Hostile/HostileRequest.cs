using System.Net;

namespace Tests.Hostile;

/// <summary>
/// One attack: the Authorization header values to send (none, one or several), an optional token
/// copy in the query string or form body, and the answer RFC 6750 calls for: a Bearer challenge
/// with <see cref="ExpectedError"/>, unless the web server refused the request before any
/// authentication (<see cref="Challenged"/> false).
/// </summary>
internal sealed record HostileRequest(
    IReadOnlyList<string> Authorization,
    HttpStatusCode ExpectedStatus,
    string? ExpectedError,
    string? QueryToken = null,
    string? FormToken = null,
    bool Challenged = true)
{
    public static HostileRequest Token(string token) =>
        new([$"Bearer {token}"], HttpStatusCode.Unauthorized, "invalid_token");
}
