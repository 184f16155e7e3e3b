using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Benchmarks.Exchange;

/// <summary>
/// The floor of a token response: one request to the least an OpenIddict 7 token endpoint can be
/// (<see cref="MinimalTokenServer"/>), its token signed RS256 (RSA-2048, the issuer's key today),
/// ES256 (ECDSA P-256) or HS256. No exchange can cost the issuer less; results/exchange.md, "The floor",
/// puts it beside the real exchange and the signatures alone.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class TokenResponseFloorBenchmarks
{
    // Requests before measuring, as ExchangeEndpointBenchmarks does: the path jitted and tiered up.
    // More than its 300, which take a floor request a tenth of the time: with 300, the first case
    // of a run still paid the JIT's tiering up in its CPU per op.
    private const int WarmUpRequests = 3_000;

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private MinimalTokenServer _server = null!;
    private ProcessCpuPerOperation _cpu = null!;

    [GlobalSetup(Target = nameof(Rs256))]
    public Task SetupRs256Async() => StartAsync(SecurityAlgorithms.RsaSha256, new RsaSecurityKey(_rsa));

    [GlobalSetup(Target = nameof(Es256))]
    public Task SetupEs256Async() => StartAsync(SecurityAlgorithms.EcdsaSha256, new ECDsaSecurityKey(_ecdsa));

    // OpenIddict signs access tokens with the symmetric key, and will not start without an asymmetric one.
    [GlobalSetup(Target = nameof(Hs256))]
    public Task SetupHs256Async() => StartAsync(
        SecurityAlgorithms.HmacSha256, new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), new ECDsaSecurityKey(_ecdsa));

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _cpu.Report();
        await _server.DisposeAsync();
        _rsa.Dispose();
        _ecdsa.Dispose();
    }

    [Benchmark(Baseline = true, Description = "floor: POST /connect/token, minimal OpenIddict, RS256")]
    public Task<string> Rs256() => RequestTokenAsync();

    [Benchmark(Description = "floor: POST /connect/token, minimal OpenIddict, ES256")]
    public Task<string> Es256() => RequestTokenAsync();

    // Not a choice for the issuer (every service would hold the key that signs): OpenIddict's own
    // work with the signature nearly free, what a faster algorithm can at best bring it down to.
    [Benchmark(Description = "floor: POST /connect/token, minimal OpenIddict, HS256")]
    public Task<string> Hs256() => RequestTokenAsync();

    private async Task StartAsync(string algorithm, params SecurityKey[] signingKeys)
    {
        _server = new MinimalTokenServer(signingKeys);
        await _server.StartAsync();
        for (var index = 0; index < WarmUpRequests; index++)
        {
            await _server.RequestTokenAsync();
        }

        // The benchmark measures the algorithm it names, or none.
        using var response = JsonDocument.Parse(await _server.RequestTokenAsync());
        var signedWith = new JsonWebToken(response.RootElement.GetProperty("access_token").GetString()).Alg;
        if (signedWith != algorithm)
        {
            throw new InvalidOperationException($"The floor's access token is signed {signedWith}, not {algorithm}.");
        }
        _cpu = new ProcessCpuPerOperation();
    }

    private Task<string> RequestTokenAsync()
    {
        _cpu.Count();
        return _server.RequestTokenAsync();
    }
}
