using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tests.Integration;

/// <summary>
/// Mints tokens with the identity service's own signing key (read from its data directory), so a
/// test can present a token that is correctly signed yet wrong in exactly one way, e.g. expired.
/// </summary>
public sealed class TokenForge(string signingKeyPem, string issuer, string keyId) : IDisposable
{
    private readonly RSA _rsa = CreateKey(signingKeyPem);

    public string Mint(string subject, string[] audiences, DateTimeOffset issuedAt, TimeSpan lifetime, string scope) =>
        Mint(new RsaSecurityKey(_rsa) { KeyId = keyId }, issuer, subject, audiences, issuedAt, lifetime, new Dictionary<string, object> { ["scope"] = scope });

    /// <summary>
    /// The one way the tests mint an access token (RFC 9068: <c>typ</c> at+jwt, RS256): signed with
    /// <paramref name="signingKey"/>, which may be the issuer's (above) or a test's own.
    /// </summary>
    public static string Mint(
        SecurityKey signingKey, string issuer, string subject, string[] audiences, DateTimeOffset issuedAt, TimeSpan lifetime,
        IReadOnlyDictionary<string, object>? claims = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            TokenType = "at+jwt",
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>(claims ?? new Dictionary<string, object>()) { ["sub"] = subject, ["aud"] = audiences },
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
        };

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public string Issuer => issuer;

    public string KeyId => keyId;

    /// <summary>The public half of the issuer's key, as an attacker can read it from the JWKS.</summary>
    public string PublicKeyPem => _rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>Signs <paramref name="data"/> with the issuer's key: RS256/384/512 or PS256.</summary>
    public byte[] Sign(byte[] data, string algorithm) => algorithm switch
    {
        "RS256" => _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "RS384" => _rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
        "RS512" => _rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
        "PS256" => _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not an algorithm of the issuer's key."),
    };

    public void Dispose() => _rsa.Dispose();

    private static RSA CreateKey(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }
}
