namespace JwtPropagation.Outgoing;

/// <summary>
/// A request through a token-carrying client went somewhere the token may not go; it was not sent.
/// </summary>
public sealed class TokenDestinationRefusedException(string clientName, string reason) : InvalidOperationException(
    $"HttpClient '{clientName}' did not send the request: {reason}")
{
    /// <summary>The name of the HttpClient the call was made with.</summary>
    public string ClientName { get; } = clientName;
}
