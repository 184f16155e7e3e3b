namespace JwtPropagation.Outgoing;

/// <summary>
/// The caller's token could not be exchanged: the issuer could not be reached
/// (<see cref="IssuerUnavailable"/>), or it refused, with an OAuth <see cref="Error"/> such as
/// <c>invalid_grant</c> (the caller's token is not acceptable any more). The call was not sent.
/// </summary>
public sealed class TokenExchangeException : Exception
{
    private TokenExchangeException(string message, bool issuerUnavailable, string? error, Exception? innerException)
        : base(message, innerException)
    {
        IssuerUnavailable = issuerUnavailable;
        Error = error;
    }

    /// <summary>Whether the issuer could not be reached (or timed out): the caller may try again later.</summary>
    public bool IssuerUnavailable { get; }

    /// <summary>The OAuth error the issuer refused the exchange with (<c>invalid_grant</c>, ...); null when it was not reached.</summary>
    public string? Error { get; }

    internal static TokenExchangeException Unavailable(Exception? cause) => new(
        "The token exchange failed: the issuer could not be reached.", issuerUnavailable: true, error: null, cause);

    internal static TokenExchangeException Refused(string? error) => new(
        $"The issuer refused the token exchange ({error ?? "no error code"}).", issuerUnavailable: false, error, innerException: null);
}
