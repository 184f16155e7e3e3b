namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The access token expired before an outgoing call could carry it; the call was not sent.
/// On a request, answer 401; in background work, fail the work with reason "token expired".
/// </summary>
public sealed class AccessTokenExpiredException(string clientName, DateTimeOffset expiredAt) : InvalidOperationException(
    $"The access token expired at {expiredAt:O}, so the call through HttpClient '{clientName}' was not sent.")
{
    public string ClientName { get; } = clientName;

    public DateTimeOffset ExpiredAt { get; } = expiredAt;
}
