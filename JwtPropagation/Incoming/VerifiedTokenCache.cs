using JwtPropagation.Telemetry;
using System.Runtime.CompilerServices;
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

    // The same verified tokens by the instance JwtBearer hands its events: found by reference, so a
    // request hashes its token once (in Find), not once more when it is judged. An entry lives as
    // long as its token instance, which the cache above holds until the entry expires or is evicted.
    private readonly ConditionalWeakTable<JsonWebToken, VerifiedToken> _byInstance = [];

    /// <summary>The verified <paramref name="token"/>, if it is known and still within its lifetime.</summary>
    public VerifiedToken? Find(string token) =>
        _tokens.TryGetValue(token, out VerifiedToken? verified) && verified is not null && timeProvider.GetUtcNow() < verified.Token.ExpiresAt
            ? verified
            : null;

    /// <summary>Keeps a token JsonWebTokenHandler has just validated in full, with what it worked out.</summary>
    public void Add(JsonWebToken jwt, ClaimsIdentity? identity, BaseConfiguration? configuration)
    {
        var verified = new VerifiedToken(jwt, identity, configuration, _revocationFeedKey);
        _byInstance.AddOrUpdate(jwt, verified);

        // Until exp, not exp plus the clock skew: past exp, full validation decides again.
        if (verified.Token.ExpiresAt > timeProvider.GetUtcNow())
        {
            _tokens.Set(verified.Jwt.EncodedToken, verified, new MemoryCacheEntryOptions
            {
                AbsoluteExpiration = verified.Token.ExpiresAt,
                Size = 1,
            });
        }
    }

    /// <summary>The verified form of a token JwtBearer just validated (this very instance): the one kept, or one made now.</summary>
    public VerifiedToken Get(JsonWebToken jwt) =>
        _byInstance.TryGetValue(jwt, out var verified)
            ? verified
            : new VerifiedToken(jwt, identity: null, configuration: null, _revocationFeedKey);

    public void Dispose() => _tokens.Dispose();
}
