using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Tests.Integration;

namespace Tests.Hostile;

/// <summary>
/// The attacks of RFC 8725, RFC 6750, RFC 9068, the OWASP JWT testing guide and the test suites of
/// well-trusted JWT libraries, each made against one service's audience. Every token is correct
/// but for the one flaw its case names; <see cref="Valid"/> is the same token without a flaw.
/// </summary>
internal sealed class HostileTokens(TokenForge forge, string audience, Uri keyServer) : IDisposable
{
    public static readonly string[] Cases =
    [
        "alg none", "alg None", "alg NONE", "alg nOnE", "alg none keeping the signature",
        "HS256 keyed with the issuer's public key", "HS384 keyed with the issuer's public key", "HS256 keyed with an empty secret",
        "RS384 signed by the issuer", "RS512 signed by the issuer", "PS256 signed by the issuer",
        "signature stripped", "signature truncated", "signature of another token", "payload changed after signing",
        "ES256 psychic signature", "ES256 signed by an attacker",
        "embedded jwk of an attacker", "jku pointing at an attacker", "x5u pointing at an attacker", "x5c of an attacker",
        "kid path traversal", "kid injection", "issuer's kid but an attacker's key",
        "two segments", "four segments", "not base64url", "header not JSON", "payload not JSON", "deeply nested payload", "huge token",
        "token beyond the server's header limit",
        "iss missing", "iss of another issuer", "aud missing", "aud of another service", "exp missing", "expired", "nbf in the future",
        "iat in the future", "iat missing", "lifetime of a month", "typ missing", "typ JWT", "id token presented as access token", "crit header",
        "two Authorization headers", "token also in the query string", "token also in the form body", "token only in the query string",
        "Basic credentials",
    ];

    private readonly RSA _attackerRsa = RSA.Create(2048);
    private readonly ECDsa _attackerEc = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private string? _valid;

    /// <summary>The token every case spoils in one way; valid as it is.</summary>
    public string Valid() => _valid ??= SignedByIssuer(Claims());

    /// <summary>The valid token with another <c>typ</c> header.</summary>
    public string ValidOfType(string type) => SignedByIssuer(Claims(header: header => header["typ"] = type));

    public HostileRequest Create(string name) => name switch
    {
        "alg none" => Unsigned("none"),
        "alg None" => Unsigned("None"),
        "alg NONE" => Unsigned("NONE"),
        "alg nOnE" => Unsigned("nOnE"),
        "alg none keeping the signature" => Token(With(Claims(), alg: "none").WithSignature(Valid().Split('.')[2])),
        "HS256 keyed with the issuer's public key" => Token(Hmac("HS256", Encoding.ASCII.GetBytes(forge.PublicKeyPem))),
        "HS384 keyed with the issuer's public key" => Token(Hmac("HS384", Encoding.ASCII.GetBytes(forge.PublicKeyPem))),
        "HS256 keyed with an empty secret" => Token(Hmac("HS256", [])),
        "RS384 signed by the issuer" => Token(SignedByIssuer(Claims(), "RS384")),
        "RS512 signed by the issuer" => Token(SignedByIssuer(Claims(), "RS512")),
        "PS256 signed by the issuer" => Token(SignedByIssuer(Claims(), "PS256")),
        "signature stripped" => Token(Valid()[..(Valid().LastIndexOf('.') + 1)]),
        "signature truncated" => Token(Valid()[..^8]),
        "signature of another token" => Token(Claims().SigningInput + "." + SignedByIssuer(Claims(payload => payload["sub"] = "bob")).Split('.')[2]),
        "payload changed after signing" => Token($"{Valid().Split('.')[0]}.{RawJwt.Encode(Claims(payload => payload["sub"] = "bob").Payload)}.{Valid().Split('.')[2]}"),
        "ES256 psychic signature" => Token(With(Claims(), alg: "ES256").WithSignature(Base64UrlEncoder.Encode(new byte[64]))),
        "ES256 signed by an attacker" => Token(With(Claims(), alg: "ES256").WithSignature(data => _attackerEc.SignData(data, HashAlgorithmName.SHA256))),
        "embedded jwk of an attacker" => Token(ByAttacker(header => header["jwk"] = AttackerJwk())),
        "jku pointing at an attacker" => Token(ByAttacker(header => header["jku"] = new Uri(keyServer, "jwks.json").ToString())),
        "x5u pointing at an attacker" => Token(ByAttacker(header => header["x5u"] = new Uri(keyServer, "cert.pem").ToString())),
        "x5c of an attacker" => Token(ByAttacker(header => header["x5c"] = new[] { AttackerCertificate() })),
        "kid path traversal" => Token(Hmac("HS256", [], header => header["kid"] = "../../../../../../dev/null")),
        "kid injection" => Token(ByAttacker(header => header["kid"] = "x' UNION SELECT 'attacker-key' --")),
        "issuer's kid but an attacker's key" => Token(ByAttacker(_ => { })),
        "two segments" => Token(string.Join('.', Valid().Split('.')[..2])),
        "four segments" => Token(Valid() + ".AAAA"),
        "not base64url" => Token("eyJhbGciOiJSUzI1NiJ9.!!not*base64url!!.c2lnbmF0dXJl"),
        "header not JSON" => Token($"{RawJwt.Encode("{\"alg\":\"RS256\",")}.{Valid().Split('.')[1]}.{Valid().Split('.')[2]}"),
        "payload not JSON" => Token(SignedWithRawPayload(Claims(), "{\"sub\":\"alice\",")),
        "deeply nested payload" => Token(SignedWithRawPayload(Claims(), NestedPayload(depth: 2_000))),
        // Above the services' 8 KiB limit, below Kestrel's 32 KiB for all headers: refused unparsed.
        "huge token" => Token(SignedByIssuer(Claims(payload => payload["padding"] = new string('a', 15_000)))),
        "token beyond the server's header limit" => new(
            [$"Bearer {SignedByIssuer(Claims(payload => payload["padding"] = new string('a', 100_000)))}"],
            HttpStatusCode.RequestHeaderFieldsTooLarge, ExpectedError: null, Challenged: false),
        "iss missing" => Token(SignedByIssuer(Claims(payload => payload.Remove("iss")))),
        "iss of another issuer" => Token(SignedByIssuer(Claims(payload => payload["iss"] = "https://issuer.example/"))),
        "aud missing" => Token(SignedByIssuer(Claims(payload => payload.Remove("aud")))),
        "aud of another service" => Token(SignedByIssuer(Claims(payload => payload["aud"] = "another-service"))),
        "exp missing" => Token(SignedByIssuer(Claims(payload => payload.Remove("exp")))),
        "expired" => Token(SignedByIssuer(Claims(payload => Times(payload, issued: -20, expires: -5)))),
        "nbf in the future" => Token(SignedByIssuer(Claims(payload => payload["nbf"] = Now(10)))),
        "iat in the future" => Token(SignedByIssuer(Claims(payload => payload["iat"] = Now(10)))),
        "iat missing" => Token(SignedByIssuer(Claims(payload => payload.Remove("iat")))),
        "lifetime of a month" => Token(SignedByIssuer(Claims(payload => Times(payload, issued: 0, expires: 30 * 24 * 60)))),
        "typ missing" => Token(SignedByIssuer(Claims(header: header => header.Remove("typ")))),
        "typ JWT" => Token(SignedByIssuer(Claims(header: header => header["typ"] = "JWT"))),
        "id token presented as access token" => Token(SignedByIssuer(Claims(
            payload => { payload["aud"] = audience; payload["nonce"] = "n-0S6_WzA2Mj"; payload["auth_time"] = Now(0); payload.Remove("scope"); },
            header => header["typ"] = "JWT"))),
        "crit header" => Token(SignedByIssuer(Claims(header: header => { header["crit"] = new[] { "exp_policy" }; header["exp_policy"] = "lenient"; }))),
        "two Authorization headers" => new([$"Bearer {Valid()}", $"Bearer {Valid()}"], HttpStatusCode.BadRequest, "invalid_request"),
        "token also in the query string" => new([$"Bearer {Valid()}"], HttpStatusCode.BadRequest, "invalid_request", QueryToken: Valid()),
        "token also in the form body" => new([$"Bearer {Valid()}"], HttpStatusCode.BadRequest, "invalid_request", FormToken: Valid()),
        "token only in the query string" => new([], HttpStatusCode.Unauthorized, ExpectedError: null, QueryToken: Valid()),
        "Basic credentials" => new(["Basic YWxpY2U6UGFzczEyMyQ="], HttpStatusCode.Unauthorized, ExpectedError: null),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such case."),
    };

    public void Dispose()
    {
        _attackerRsa.Dispose();
        _attackerEc.Dispose();
    }

    private static HostileRequest Token(string token) => HostileRequest.Token(token);

    private RawJwt Claims(Action<Dictionary<string, object?>>? payload = null, Action<Dictionary<string, object?>>? header = null)
    {
        var jwt = new RawJwt();
        jwt.Header["alg"] = "RS256";
        jwt.Header["typ"] = "at+jwt";
        jwt.Header["kid"] = forge.KeyId;
        jwt.Payload["iss"] = forge.Issuer;
        jwt.Payload["sub"] = "alice";
        jwt.Payload["aud"] = audience;
        jwt.Payload["scope"] = "users.read profiles.read";
        jwt.Payload["jti"] = Guid.NewGuid().ToString("N");
        Times(jwt.Payload, issued: 0, expires: 5);
        payload?.Invoke(jwt.Payload);
        header?.Invoke(jwt.Header);
        return jwt;
    }

    private string SignedByIssuer(RawJwt jwt, string algorithm = "RS256") =>
        With(jwt, algorithm).WithSignature(data => forge.Sign(data, algorithm));

    private string SignedWithRawPayload(RawJwt jwt, string rawPayload)
    {
        var signingInput = $"{RawJwt.Encode(jwt.Header)}.{RawJwt.Encode(rawPayload)}";
        return $"{signingInput}.{Base64UrlEncoder.Encode(forge.Sign(Encoding.ASCII.GetBytes(signingInput), "RS256"))}";
    }

    private static RawJwt With(RawJwt jwt, string alg)
    {
        jwt.Header["alg"] = alg;
        return jwt;
    }

    private HostileRequest Unsigned(string alg) => Token(With(Claims(), alg).WithSignature(""));

    private string Hmac(string alg, byte[] key, Action<Dictionary<string, object?>>? header = null) =>
        With(Claims(header: header), alg).WithSignature(data => alg == "HS384"
            ? HMACSHA384.HashData(key, data)
            : HMACSHA256.HashData(key, data));

    private string ByAttacker(Action<Dictionary<string, object?>> header) =>
        Claims(header: header).WithSignature(data => _attackerRsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    private Dictionary<string, string> AttackerJwk()
    {
        var parameters = _attackerRsa.ExportParameters(includePrivateParameters: false);
        return new()
        {
            ["kty"] = "RSA",
            ["kid"] = forge.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    private string AttackerCertificate()
    {
        var request = new CertificateRequest("CN=attacker", _attackerRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Cert));
    }

    private string NestedPayload(int depth) =>
        $"{{\"iss\":\"{forge.Issuer}\",\"sub\":\"alice\",\"aud\":\"{audience}\",\"iat\":{Now(0)},\"exp\":{Now(5)},\"x\":"
        + new string('[', depth) + new string(']', depth) + "}";

    private static void Times(Dictionary<string, object?> payload, int issued, int expires)
    {
        payload["iat"] = Now(issued);
        payload["nbf"] = Now(issued);
        payload["exp"] = Now(expires);
    }

    private static long Now(int minutes) => DateTimeOffset.UtcNow.AddMinutes(minutes).ToUnixTimeSeconds();
}
