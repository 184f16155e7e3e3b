using System.Security.Claims;
using System.Security.Cryptography;
using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Tests.Integration;

namespace Tests.Authentication;

/// <summary>
/// A token is verified once and then served from the cache: only the same whole token, never past
/// its exp, never once the issuer's keys were refreshed, and each request gets claims of its own,
/// its scopes read from the claim the issuer puts them in.
/// </summary>
public sealed class VerifiedTokenHandlerTests : IDisposable
{
    private const string Issuer = "https://identity.test/";
    private const string Audience = "profileservice";

    private readonly RSA _key = RSA.Create(2048);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly KeysOfTheIssuer _keys = new();
    private readonly VerifiedTokenHandler _handler;

    public VerifiedTokenHandlerTests()
    {
        _keys.Publish(new RsaSecurityKey(_key) { KeyId = "key-1" });
        var cache = new VerifiedTokenCache(Options.Create(new JwtValidationOptions()), _time);
        _handler = new VerifiedTokenHandler(new JsonWebTokenHandler { MapInboundClaims = false }, cache, JwtValidationOptions.DefaultScopeClaim);
    }

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task The_same_token_again_is_served_verified_with_claims_of_its_own()
    {
        var token = Mint("alice", lifetime: TimeSpan.FromMinutes(15));

        var first = await ValidateAsync(token);
        first.ClaimsIdentity.AddClaim(new Claim("added-by-the-first-request", "yes"));
        var second = await ValidateAsync(token);

        Assert.True(second.IsValid);
        Assert.Same(first.SecurityToken, second.SecurityToken);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("alice", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Null(second.ClaimsIdentity.FindFirst("added-by-the-first-request"));
    }

    [Fact]
    public async Task Another_token_of_the_same_user_is_verified_on_its_own()
    {
        var first = await ValidateAsync(Mint("alice", lifetime: TimeSpan.FromMinutes(15)));
        var other = await ValidateAsync(Mint("alice", lifetime: TimeSpan.FromMinutes(15)));

        Assert.NotSame(first.SecurityToken, other.SecurityToken);
    }

    [Fact]
    public async Task Past_its_exp_a_token_is_validated_anew()
    {
        var token = Mint("alice", lifetime: TimeSpan.FromMinutes(15));
        var first = await ValidateAsync(token);

        _time.Advance(TimeSpan.FromMinutes(15));
        var afterExp = await ValidateAsync(token);

        Assert.NotSame(first.SecurityToken, afterExp.SecurityToken);
    }

    [Fact]
    public async Task Once_the_issuers_keys_are_refreshed_a_token_is_verified_again()
    {
        var token = Mint("alice", lifetime: TimeSpan.FromMinutes(15));
        var first = await ValidateAsync(token);

        // Whether a token of a key no longer published still passes is IdentityModel's to say
        // (its last-known-good configuration); the cache only must not decide it from memory.
        using var newKey = RSA.Create(2048);
        _keys.Publish(new RsaSecurityKey(newKey) { KeyId = "key-2" });
        var afterRefresh = await ValidateAsync(token);

        Assert.NotSame(first.SecurityToken, afterRefresh.SecurityToken);
    }

    [Fact]
    public async Task A_token_that_fails_is_not_kept()
    {
        // Refused only because its key is not held yet: the same token, the same keys object, once
        // that key is there, must be verified anew and pass. A verdict kept from the first time would refuse it.
        using var laterKey = RSA.Create(2048);
        var token = Mint("alice", lifetime: TimeSpan.FromMinutes(15), signingKey: new RsaSecurityKey(laterKey) { KeyId = "key-2" });

        var first = await ValidateAsync(token);
        _keys.AddToCurrent(new RsaSecurityKey(laterKey) { KeyId = "key-2" });
        var second = await ValidateAsync(token);

        Assert.False(first.IsValid);
        Assert.True(second.IsValid, $"Refused again once its key was held: {second.Exception?.Message}");
    }

    [Fact]
    public void At_most_10000_verified_tokens_are_kept_by_default()
    {
        var settings = new JwtValidationOptions();
        Assert.Equal(10_000, settings.VerifiedTokenCacheSize);
        using var cache = new VerifiedTokenCache(Options.Create(settings), _time);
        var unsigned = new JsonWebTokenHandler();
        var tokens = Enumerable.Range(0, settings.VerifiedTokenCacheSize + 500).Select(number => new JsonWebToken(unsigned.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Expires = _time.GetUtcNow().UtcDateTime.AddMinutes(15),
            Claims = new Dictionary<string, object> { ["sub"] = $"user{number}" },
        }))).ToList();

        foreach (var token in tokens)
        {
            cache.Add(token, identity: null, configuration: null);
        }

        var kept = tokens.Count(token => cache.Find(token.EncodedToken) is not null);
        Assert.InRange(kept, 1, settings.VerifiedTokenCacheSize);
    }

    [Theory]
    [InlineData("scope", "scope", true)]
    [InlineData("scope", "scp", false)]
    [InlineData("scp", "scp", true)]
    [InlineData("scp", "scope", false)]
    public async Task Scopes_are_read_from_the_configured_claim_only(string scopeClaim, string claimInToken, bool granted)
    {
        var handler = new VerifiedTokenHandler(
            new JsonWebTokenHandler { MapInboundClaims = false },
            new VerifiedTokenCache(Options.Create(new JwtValidationOptions()), _time),
            scopeClaim);
        var token = Mint("alice", lifetime: TimeSpan.FromMinutes(15), new() { [claimInToken] = "users.read profiles.read" });

        // The first request verifies the token; the second gets the cached verdict.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var result = await ValidateAsync(token, handler);

            Assert.True(result.IsValid);
            Assert.Equal(granted, new ClaimsPrincipal(result.ClaimsIdentity).HasScope("profiles.read"));
        }
    }

    private Task<TokenValidationResult> ValidateAsync(string token, VerifiedTokenHandler? handler = null) =>
        (handler ?? _handler).ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
            ConfigurationManager = _keys,
        });

    private string Mint(string subject, TimeSpan lifetime, Dictionary<string, object>? claims = null, SecurityKey? signingKey = null) =>
        TokenForge.Mint(
            signingKey ?? new RsaSecurityKey(_key) { KeyId = "key-1" }, Issuer, subject, [Audience], _time.GetUtcNow(), lifetime,
            new Dictionary<string, object>(claims ?? []) { ["jti"] = Guid.NewGuid().ToString() });

    /// <summary>The issuer's metadata as JwtBearer's configuration manager holds it: replaced whole when refreshed.</summary>
    private sealed class KeysOfTheIssuer : BaseConfigurationManager
    {
        private OpenIdConnectConfiguration _current = new();

        public void Publish(SecurityKey key)
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(key);
            _current = configuration;
        }

        /// <summary>Adds a key to the keys held now, without a refresh (the same configuration object).</summary>
        public void AddToCurrent(SecurityKey key) => _current.SigningKeys.Add(key);

        public override Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) => Task.FromResult<BaseConfiguration>(_current);

        public override void RequestRefresh()
        {
        }
    }
}
