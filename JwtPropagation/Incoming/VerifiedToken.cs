using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtPropagation.Incoming;

/// <summary>
/// A token whose signature, issuer, audience, lifetime, algorithm and type were checked once, with
/// what every later request of the same token needs, worked out once: the claims, the
/// <see cref="CallerToken"/> (and its fingerprint), the actor chain, the policy verdict.
/// </summary>
internal sealed class VerifiedToken
{
    private readonly ClaimsIdentity? _identity;

    /// <param name="jwt">The token, as validated.</param>
    /// <param name="identity">The identity made from it.</param>
    /// <param name="configuration">The issuer's metadata and keys it was validated with.</param>
    /// <param name="revocationFeedKey">The key the revocation feed's user names are made with; none without a feed.</param>
    public VerifiedToken(JsonWebToken jwt, ClaimsIdentity? identity, BaseConfiguration? configuration, string? revocationFeedKey)
    {
        Jwt = jwt;
        // A copy of its own: handlers and claims transformations may change the identity they are given.
        _identity = identity?.Clone();
        Configuration = configuration;
        Token = new CallerToken(jwt.EncodedToken, jwt.Subject, jwt.ValidTo);
        IssuedAt = jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat) ? DateTimeOffset.FromUnixTimeSeconds(iat) : null;
        HasCriticalHeader = jwt.TryGetHeaderValue<JsonElement>("crit", out _);
        ActorChain = ReadActorChain(jwt);
        // The key that verified it, whatever its header names (or if it names none).
        SigningKeyId = jwt.SigningKey?.KeyId is { Length: > 0 } keyId ? keyId : jwt.Kid;
        RevokedSubjectName = jwt.Subject is { } subject && revocationFeedKey is not null
            ? RevokedSubjectHash.Of(RevokedSubjectHash.Sha256Of(subject), revocationFeedKey)
            : null;
    }

    public JsonWebToken Jwt { get; }

    /// <summary>The issuer's keys it was verified with: a refresh of the keys verifies it anew.</summary>
    public BaseConfiguration? Configuration { get; }

    public CallerToken Token { get; }

    public DateTimeOffset? IssuedAt { get; }

    /// <summary>The <c>kid</c> of the issuer's key its signature was verified with.</summary>
    public string? SigningKeyId { get; }

    public bool HasCriticalHeader { get; }

    /// <summary>"profileservice, userservice": who acts for the user, current actor first, from the nested act claims.</summary>
    public string? ActorChain { get; }

    /// <summary>The subject as the revocation feed names revoked users (<see cref="RevokedSubjectHash"/>).</summary>
    public string? RevokedSubjectName { get; }

    /// <summary>
    /// The claims for one request: a copy, so what one request changes no other sees, carrying this
    /// verified token to the validation events (<see cref="VerifiedIdentity"/>).
    /// </summary>
    public ClaimsIdentity? CreateIdentity() => _identity is null ? null : new VerifiedIdentity(_identity, this);

    private static string? ReadActorChain(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<JsonElement>("act", out var act))
        {
            return null;
        }

        var actors = new List<string>();
        while (act.ValueKind == JsonValueKind.Object)
        {
            actors.Add(act.TryGetProperty("sub", out var sub) ? sub.ToString() : "?");
            act = act.TryGetProperty("act", out var inner) ? inner : default;
        }

        return string.Join(", ", actors);
    }
}
