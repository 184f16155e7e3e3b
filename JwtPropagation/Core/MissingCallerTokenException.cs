namespace JwtPropagation;

/// <summary>
/// A client that forwards the caller's token was used where there is no validated token,
/// e.g. from an anonymous endpoint. The call was not sent.
/// </summary>
public sealed class MissingCallerTokenException(string clientName) : InvalidOperationException(
    $"HttpClient '{clientName}' forwards the caller's access token, but the current request has none, " +
    "so the call was not sent. Call it from an authenticated request, or let this client call " +
    "anonymously by setting RequireToken to false in its AddTokenPropagation settings.")
{
    /// <summary>The name of the HttpClient the call was made with.</summary>
    public string ClientName { get; } = clientName;
}
