using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using JwtPropagation;
using Microsoft.Extensions.Hosting;

namespace Benchmarks.HotPath;

/// <summary>
/// The small parts every request passes through: a token's fingerprint (SHA-256, made once per
/// token and kept), the revocation check, and the last-resort redaction of spans and log text.
/// </summary>
[MemoryDiagnoser]
public class SmallPartsBenchmarks
{
    private readonly RevocationList _revocations = new();
    private readonly TokenRedactingSpanProcessor _spanProcessor = new();
    private string _token = null!;
    private CallerToken _accessToken = null!;
    private Activity _span = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var tokens = new SampleTokens();
        _token = tokens.Mint("user001");
        _accessToken = new CallerToken(_token, "user001", DateTimeOffset.UtcNow.AddMinutes(15));
        _ = _accessToken.Fingerprint;

        // A feed of a thousand revoked tokens and a hundred revoked users.
        var now = DateTimeOffset.UtcNow;
        _revocations.Apply(
            new RevocationFeedDocument(
                Version: 1,
                Complete: true,
                [.. Enumerable.Range(0, 1_000).Select(_ => new RevokedToken(Guid.NewGuid().ToString(), now.AddMinutes(15)))],
                [.. Enumerable.Range(0, 100).Select(_ => new RevokedSubject(Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), now, now.AddMinutes(15)))]),
            now,
            keepPastExpiry: TimeSpan.FromSeconds(30));

        // A server span as ASP.NET Core and our telemetry tag it: nothing in it to redact.
        _span = new Activity("GET /profiles/me");
        _span.SetTag("http.request.method", "GET");
        _span.SetTag("url.path", "/profiles/me");
        _span.SetTag("url.scheme", "http");
        _span.SetTag("server.address", "127.0.0.1");
        _span.SetTag("user_agent.original", "benchmark");
        _span.SetTag("http.route", "/profiles/me");
        _span.SetTag(TokenTelemetry.Fingerprint, _accessToken.Fingerprint);
        _span.SetTag(TokenTelemetry.ActorChain, "userservice");
        _span.SetTag(TokenTelemetry.UserId, "user001");
    }

    [Benchmark(Description = "fingerprint of a new token (SHA-256)")]
    public string FingerprintOfANewToken() => new CallerToken(_token, "user001", default).Fingerprint;

    [Benchmark(Description = "fingerprint of a known token")]
    public string FingerprintOfAKnownToken() => _accessToken.Fingerprint;

    [Benchmark(Description = "revocation check")]
    public bool RevocationCheck() => _revocations.IsRevoked(Guid.Empty.ToString(), "0000000000000000000000000000000000000000000000000000000000000000", DateTimeOffset.UtcNow);

    [Benchmark(Description = "span redaction, nothing to redact")]
    public Activity SpanRedaction()
    {
        _spanProcessor.OnEnd(_span);
        return _span;
    }

    [Benchmark(Description = "text redaction, nothing to redact")]
    public string? CleanText() => TokenRedaction.Redact("http://127.0.0.1:5200/profiles/me?page=2");

    [Benchmark(Description = "text redaction, a token in the query")]
    public string? TextWithToken() => TokenRedaction.Redact($"http://127.0.0.1:5200/profiles/me?access_token={_token}");
}
