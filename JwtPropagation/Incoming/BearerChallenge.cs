namespace JwtPropagation.Incoming;

/// <summary>
/// The <c>WWW-Authenticate</c> value of a refused bearer request (RFC 6750 section 3), built here
/// and nowhere else, so every service answers the same refusal the same way.
/// </summary>
public static class BearerChallenge
{
    /// <summary>The request is malformed, e.g. it sends a token in more than one way.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>The token is expired, revoked, malformed or otherwise not accepted.</summary>
    public const string InvalidToken = "invalid_token";

    /// <summary>The token is accepted but does not grant the scope the request needs.</summary>
    public const string InsufficientScope = "insufficient_scope";

    /// <summary>
    /// <c>Bearer error="..."</c>, with an <c>error_description</c> when one is given (give one in
    /// Development only: it tells a caller why, which an attacker probing tokens should not learn).
    /// </summary>
    public static string For(string error, string? description = null) =>
        description is null ? $"Bearer error=\"{error}\"" : $"Bearer error=\"{error}\", error_description=\"{description}\"";

    /// <summary><c>Bearer error="insufficient_scope", scope="..."</c>: which scope would do.</summary>
    public static string ForMissingScope(string scope) => $"Bearer error=\"{InsufficientScope}\", scope=\"{scope}\"";
}
