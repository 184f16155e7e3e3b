using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.Tokens;

namespace Benchmarks.Exchange;

/// <summary>
/// The floor of a token response: one request to the least an OpenIddict 7 token endpoint can be
/// (<see cref="MinimalTokenServer"/>), its token signed RS256 (RSA-2048, the issuer's key today) or
/// ES256 (ECDSA P-256). No exchange can cost the issuer less; results/exchange.md, "The floor",
/// puts it beside the real exchange and the signatures alone.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class TokenResponseFloorBenchmarks
{
    // Requests before measuring, as ExchangeEndpointBenchmarks does: the path jitted and tiered up.
    private const int WarmUpRequests = 300;

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private MinimalTokenServer _server = null!;
    private ProcessCpuPerOperation _cpu = null!;

    [GlobalSetup(Target = nameof(Rs256))]
    public Task SetupRs256Async() => StartAsync(new RsaSecurityKey(_rsa));

    [GlobalSetup(Target = nameof(Es256))]
    public Task SetupEs256Async() => StartAsync(new ECDsaSecurityKey(_ecdsa));

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

    private async Task StartAsync(SecurityKey signingKey)
    {
        _server = new MinimalTokenServer(signingKey);
        await _server.StartAsync();
        for (var index = 0; index < WarmUpRequests; index++)
        {
            await _server.RequestTokenAsync();
        }
        _cpu = new ProcessCpuPerOperation();
    }

    private Task<string> RequestTokenAsync()
    {
        _cpu.Count();
        return _server.RequestTokenAsync();
    }
}
