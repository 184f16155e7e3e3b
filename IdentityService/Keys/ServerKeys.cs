using System.Security.Cryptography;
using IdentityService.Settings;
using Microsoft.IdentityModel.Tokens;

namespace IdentityService.Keys;

/// <summary>
/// The server's keys, kept in the data directory so that tokens issued before a restart still
/// validate after it. Tests read <see cref="SigningKeyFileName"/> to mint tokens of their own.
/// </summary>
internal sealed class ServerKeys : IDisposable
{
    public const string SigningKeyFileName = "signing-key.pem";
    public const string EncryptionKeyFileName = "encryption-key.pem";

    private readonly RSA _signingRsa;
    private readonly RSA _encryptionRsa;

    public ServerKeys(DataDirectory dataDirectory)
    {
        _signingRsa = RsaPemFile.LoadOrCreate(dataDirectory.GetFilePath(SigningKeyFileName));
        _encryptionRsa = RsaPemFile.LoadOrCreate(dataDirectory.GetFilePath(EncryptionKeyFileName));

        SigningKey = WithStableKeyId(new RsaSecurityKey(_signingRsa));
        EncryptionKey = WithStableKeyId(new RsaSecurityKey(_encryptionRsa));
    }

    /// <summary>Signs access tokens (RS256); its public half is published in the JWKS.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>
    /// OpenIddict requires an encryption key for the tokens it issues to itself (codes, refresh
    /// tokens); access tokens are signed only, so resource servers can read them.
    /// </summary>
    public RsaSecurityKey EncryptionKey { get; }

    public void Dispose()
    {
        _signingRsa.Dispose();
        _encryptionRsa.Dispose();
    }

    // The RFC 7638 thumbprint depends on the public key only, so the kid survives restarts.
    private static RsaSecurityKey WithStableKeyId(RsaSecurityKey key)
    {
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
