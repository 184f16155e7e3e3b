using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtPropagation.Incoming;

/// <summary>
/// Tokens already verified, so the same token is not parsed and its signature not checked again on
/// every request. Keyed by the whole token; bounded (<see cref="JwtValidationOptions.VerifiedTokenCacheSize"/>);
/// an entry is never served past the token's <c>exp</c>, nor once the issuer's keys have been
/// refreshed. It holds no verdict on revocation: that is checked on every request.
/// </summary>
internal sealed class VerifiedTokenCache(IOptions<JwtValidationOptions> options, TimeProvider timeProvider) : IDisposable
{
    private readonly MemoryCache _tokens = new(new MemoryCacheOptions { SizeLimit = options.Value.VerifiedTokenCacheSize });
    private readonly string? _revocationFeedKey = options.Value.RevocationFeedKey;

    /// <summary>The verified <paramref name="token"/>, if it is known and still within its lifetime.</summary>
    public VerifiedToken? Find(string token) =>
        _tokens.TryGetValue(token, out VerifiedToken? verified) && verified is not null && timeProvider.GetUtcNow() < verified.Token.ExpiresAt
            ? verified
            : null;

    /// <summary>Keeps a token JsonWebTokenHandler has just validated in full, with what it worked out.</summary>
    /// <returns>The verified token, whose <see cref="VerifiedToken.CreateIdentity"/> is what JwtBearer is handed.</returns>
    public VerifiedToken Add(JsonWebToken jwt, ClaimsIdentity? identity, BaseConfiguration? configuration)
    {
        var verified = new VerifiedToken(jwt, identity, configuration, _revocationFeedKey);

        // Until exp, not exp plus the clock skew: past exp, full validation decides again.
        if (verified.Token.ExpiresAt > timeProvider.GetUtcNow())
        {
            _tokens.Set(verified.Jwt.EncodedToken, verified, new MemoryCacheEntryOptions
            {
                AbsoluteExpiration = verified.Token.ExpiresAt,
                Size = 1,
            });
        }

        return verified;
    }

    /// <summary>
    /// The verified form of a token JwtBearer just validated (this very instance): the one the
    /// handler's identity carries (<see cref="VerifiedIdentity"/>), so the request looks its token up
    /// once, in <see cref="Find"/>; one made now for a principal some other handler made.
    /// </summary>
    public VerifiedToken Of(ClaimsPrincipal? principal, JsonWebToken jwt) =>
        principal?.Identity is VerifiedIdentity { Verified: var verified } && ReferenceEquals(verified.Jwt, jwt)
            ? verified
            : new VerifiedToken(jwt, identity: null, configuration: null, _revocationFeedKey);

    public void Dispose() => _tokens.Dispose();
}
