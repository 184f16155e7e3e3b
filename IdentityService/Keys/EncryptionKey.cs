using System.Security.Cryptography;
using IdentityService.Settings;
using Microsoft.IdentityModel.Tokens;

namespace IdentityService.Keys;

/// <summary>
/// The key OpenIddict encrypts the tokens it issues to itself with (authorization codes, refresh
/// tokens). Access tokens are signed only, so resource servers can read them; their signing keys
/// rotate and live in the store (SigningKeys/). Kept in the data directory, so that tokens issued
/// before a restart can still be read after it.
/// </summary>
internal sealed class EncryptionKey : IDisposable
{
    private const string FileName = "encryption-key.pem";

    private readonly RSA _rsa;

    public EncryptionKey(DataDirectory dataDirectory)
    {
        _rsa = RsaPemFile.LoadOrCreate(dataDirectory.GetFilePath(FileName));

        // The RFC 7638 thumbprint depends on the public key only, so the kid survives restarts.
        Key = new RsaSecurityKey(_rsa);
        Key.KeyId = Base64UrlEncoder.Encode(Key.ComputeJwkThumbprint());
    }

    public RsaSecurityKey Key { get; }

    public void Dispose() => _rsa.Dispose();
}
