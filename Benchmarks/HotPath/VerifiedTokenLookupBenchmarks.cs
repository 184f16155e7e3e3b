using BenchmarkDotNet.Attributes;
using JwtPropagation;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Benchmarks.HotPath;

/// <summary>
/// The second look-up of a request's verified token, when its validation events judge it: by the
/// token's text in the cache (what main did, hashing the ~950 characters again), against taking it from the
/// identity the handler returned (VerifiedIdentity: what the events do now, no second look-up). Results/warm.md.
/// </summary>
[MemoryDiagnoser]
public class VerifiedTokenLookupBenchmarks
{
    private SampleTokens _tokens = null!;
    private VerifiedTokenCache _cache = null!;
    private JsonWebToken _jwt = null!;
    private System.Security.Claims.ClaimsPrincipal _principal = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tokens = new SampleTokens();
        var token = _tokens.Mint("user001");
        _cache = new VerifiedTokenCache(Options.Create(new JwtValidationOptions()), TimeProvider.System);
        var handler = new VerifiedTokenHandler(new JsonWebTokenHandler { MapInboundClaims = false }, _cache, JwtValidationOptions.DefaultScopeClaim);
        var result = handler.ValidateTokenAsync(token, _tokens.ValidationParameters).GetAwaiter().GetResult();
        _jwt = (JsonWebToken)result.SecurityToken;
        _principal = new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _tokens.Dispose();
    }

    [Benchmark(Baseline = true, Description = "by the token's text (the cache's key)")]
    public object? ByText() => _cache.Find(_jwt.EncodedToken);

    [Benchmark(Description = "from the identity the handler returned")]
    public object ByInstance() => _cache.Of(_principal, _jwt);
}
