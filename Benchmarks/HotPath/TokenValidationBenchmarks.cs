using BenchmarkDotNet.Attributes;
using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Benchmarks.HotPath;

/// <summary>
/// Validating an incoming token: the stock JsonWebTokenHandler (parse, RS256 signature, claims) on
/// every request, against ours, which does that the first time a token is seen and serves the
/// verified result (a copy of its claims) every time after.
/// </summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private SampleTokens _tokens = null!;
    private string _token = null!;
    private JsonWebTokenHandler _stock = null!;
    private VerifiedTokenHandler _verifying = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tokens = new SampleTokens();
        _token = _tokens.Mint("user001");
        _stock = new JsonWebTokenHandler { MapInboundClaims = false };
        var cache = new VerifiedTokenCache(Options.Create(new JwtValidationOptions()), TimeProvider.System);
        _verifying = new VerifiedTokenHandler(new JsonWebTokenHandler { MapInboundClaims = false }, cache, JwtValidationOptions.DefaultScopeClaim);
        _verifying.ValidateTokenAsync(_token, _tokens.ValidationParameters).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _tokens.Dispose();

    [Benchmark(Baseline = true, Description = "first sight (stock JsonWebTokenHandler, every request)")]
    public Task<bool> FirstSight() => IsValid(_stock.ValidateTokenAsync(_token, _tokens.ValidationParameters));

    [Benchmark(Description = "seen before (verified-token cache hit)")]
    public Task<bool> Repeat() => IsValid(_verifying.ValidateTokenAsync(_token, _tokens.ValidationParameters));

    private static async Task<bool> IsValid(Task<Microsoft.IdentityModel.Tokens.TokenValidationResult> validation) =>
        (await validation).IsValid ? true : throw new InvalidOperationException("The sample token did not validate.");
}
