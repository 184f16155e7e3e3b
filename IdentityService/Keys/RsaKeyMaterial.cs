using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace IdentityService.Keys;

/// <summary>What the signing and encryption keys have in common: RSA 2048, kept as PKCS#8 PEM, named by thumbprint.</summary>
internal static class RsaKeyMaterial
{
    public const int KeySizeInBits = 2048;

    /// <summary>The RFC 7638 thumbprint: it depends on the public key only, so the same key always has the same kid.</summary>
    public static string KeyIdOf(RSA rsa) => Base64UrlEncoder.Encode(new RsaSecurityKey(rsa).ComputeJwkThumbprint());

    /// <summary>
    /// The stored key, ready for OpenIddict. Not disposed: OpenIddict signs, verifies or decrypts
    /// with it while a request runs, and for as long as the key is in use.
    /// </summary>
    public static RsaSecurityKey ToSecurityKey(string privateKeyPem, string keyId)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return new RsaSecurityKey(rsa) { KeyId = keyId };
    }
}
