using System.Security.Cryptography;
using System.Text;

namespace ServiceDefaults.KeysAtRest;

/// <summary>
/// Seals the private keys a service's store keeps (the issuer's signing, encryption and Data
/// Protection keys; UserService's Data Protection keys) with a key that is not in the store, a
/// secret the service is given (the AppHost generates one per store), so that a copy of the
/// database alone opens nothing. AES-256-GCM under a key derived from the secret with HKDF; each
/// value is bound to where it is kept (<c>context</c>), so a sealed value moved to another row does not open.
/// </summary>
public sealed class KeyEncryptionKey
{
    /// <summary>What starts a sealed value; what follows is base64 of nonce, tag and ciphertext.</summary>
    public const string SealedPrefix = "enc:v1:";

    /// <summary>The shortest secret a service should accept, in characters (the AppHost generates 44).</summary>
    public const int MinimumSecretLength = 32;

    private const int NonceSize = 12;
    private const int TagSize = 16;

    // Names what the derived key is for: another use of the same secret would derive another key.
    // Unchanged since the issuer's stores were first sealed with it, which open with it only; every
    // store derives with it, each from a secret of its own.
    private static readonly byte[] DerivationInfo = "IdentityService keys at rest v1"u8.ToArray();

    private readonly byte[] _key;

    /// <param name="secret">The secret, as the service was given it: the key is derived from its UTF-8 bytes.</param>
    public KeyEncryptionKey(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), outputLength: 32, salt: [], info: DerivationInfo);
    }

    public static bool IsSealed(string stored) => stored.StartsWith(SealedPrefix, StringComparison.Ordinal);

    /// <param name="context">Where the value is kept, e.g. <c>SigningKeys/{kid}</c>: authenticated, not stored.</param>
    public string Seal(string plaintext, string context)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);

        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        CryptographicOperations.ZeroMemory(plain);
        return SealedPrefix + Convert.ToBase64String(sealedBytes);
    }

    /// <exception cref="StoredKeyNotOpenedException">The value is not sealed, or not with this key for this context.</exception>
    public string Unseal(string stored, string context)
    {
        if (!IsSealed(stored))
        {
            throw StoredKeyNotOpenedException.InTheClearWhereSealed(context);
        }

        if (Decode(stored) is not { } sealedBytes)
        {
            throw StoredKeyNotOpenedException.WrongKey(context);
        }

        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            // Not a failure to report with a stack: the operator gave another key than the store's.
            throw StoredKeyNotOpenedException.WrongKey(context);
        }

        try
        {
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static byte[]? Decode(string stored)
    {
        var text = stored.AsSpan(SealedPrefix.Length);
        var buffer = new byte[text.Length * 3 / 4];
        return Convert.TryFromBase64Chars(text, buffer, out var written) && written >= NonceSize + TagSize ? buffer[..written] : null;
    }
}
