using ServiceDefaults.KeysAtRest;

namespace IdentityService.KeysAtRest;

/// <summary>
/// What each sealed value is bound to (<see cref="KeyEncryptionKey"/>'s context): the table and
/// row it is kept in, so that a value copied into another row does not open there.
/// </summary>
internal static class SealContexts
{
    /// <summary>Every Data Protection key: its element is sealed before the key's id is in it.</summary>
    public const string DataProtectionKey = KeyEncryptionKeyXmlEncryptor.SealContext;

    public static string SigningKey(string keyId) => $"SigningKeys/{keyId}";

    public static string EncryptionKey(string keyId) => $"EncryptionKeys/{keyId}";
}
