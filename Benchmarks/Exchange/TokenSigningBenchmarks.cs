using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Benchmarks.Exchange;

/// <summary>
/// Signing an exchanged access token, RS256 (RSA-2048, the issuer's key today) against ES256
/// (ECDSA P-256), and what each costs whoever verifies it: a cold token is signed once, at the
/// issuer, and verified once at each hop that sees it.
/// </summary>
[MemoryDiagnoser]
public class TokenSigningBenchmarks
{
    // The claims of a token issued by the exchange (IdentityService/Endpoints/TokenExchangeGrant.cs).
    private static readonly string Payload = $$"""
        {"iss":"http://127.0.0.1:40123/","exp":{{DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds()}},"iat":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"aud":"profileservice","scope":"profiles.read","jti":"{{Guid.NewGuid()}}","sub":"user001","name":"user001","act":{"sub":"userservice","client_id":"userservice"},"oi_prst":"userservice","client_id":"userservice","oi_tkn_id":"{{Guid.NewGuid()}}"}
        """;

    private static readonly Dictionary<string, object> Header = new() { ["typ"] = "at+jwt" };

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JsonWebTokenHandler _handler = new();
    private readonly byte[] _signingInput = Encoding.ASCII.GetBytes(Base64UrlEncoder.Encode(Payload) + "." + Base64UrlEncoder.Encode(Payload));
    private SigningCredentials _rs256 = null!;
    private SigningCredentials _es256 = null!;
    private byte[] _rsaSignature = null!;
    private byte[] _ecdsaSignature = null!;
    private ProcessCpuPerOperation _cpu = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rs256 = new SigningCredentials(new RsaSecurityKey(_rsa), SecurityAlgorithms.RsaSha256);
        _es256 = new SigningCredentials(new ECDsaSecurityKey(_ecdsa), SecurityAlgorithms.EcdsaSha256);
        _rsaSignature = _rsa.SignData(_signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _ecdsaSignature = _ecdsa.SignData(_signingInput, HashAlgorithmName.SHA256);
        _cpu = new ProcessCpuPerOperation();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cpu.Report();
        _rsa.Dispose();
        _ecdsa.Dispose();
    }

    [Benchmark(Baseline = true, Description = "JWT created and signed, RS256 (RSA-2048)")]
    public string CreateRs256()
    {
        _cpu.Count();
        return _handler.CreateToken(Payload, _rs256, Header);
    }

    [Benchmark(Description = "JWT created and signed, ES256 (ECDSA P-256)")]
    public string CreateEs256()
    {
        _cpu.Count();
        return _handler.CreateToken(Payload, _es256, Header);
    }

    [Benchmark(Description = "signature verified, RS256")]
    public bool VerifyRs256()
    {
        _cpu.Count();
        return _rsa.VerifyData(_signingInput, _rsaSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    [Benchmark(Description = "signature verified, ES256")]
    public bool VerifyEs256()
    {
        _cpu.Count();
        return _ecdsa.VerifyData(_signingInput, _ecdsaSignature, HashAlgorithmName.SHA256);
    }
}
