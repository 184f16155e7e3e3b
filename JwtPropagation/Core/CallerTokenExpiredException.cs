namespace JwtPropagation;

/// <summary>
/// The access token expired before an outgoing call could carry it; the call was not sent.
/// On a request, answer 401; in background work, fail the work with reason "token expired".
/// </summary>
public sealed class CallerTokenExpiredException(string clientName, DateTimeOffset expiredAt) : InvalidOperationException(
    $"The access token expired at {expiredAt:O}, so the call through HttpClient '{clientName}' was not sent.")
{
    /// <summary>The name of the HttpClient the call was made with.</summary>
    public string ClientName { get; } = clientName;

    /// <summary>When the token expired.</summary>
    public DateTimeOffset ExpiredAt { get; } = expiredAt;
}
