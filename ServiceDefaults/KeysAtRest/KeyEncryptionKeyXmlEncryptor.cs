using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace ServiceDefaults.KeysAtRest;

/// <summary>
/// Seals the secret part of each Data Protection key (its <c>masterKey</c>) with the
/// <see cref="KeyEncryptionKey"/> before Data Protection writes the key to the store; Data
/// Protection records the decryptor's type beside it (<see cref="KeyEncryptionKeyXmlDecryptor"/>,
/// unless the service names one of its own) and makes that type again to open it.
/// </summary>
public sealed class KeyEncryptionKeyXmlEncryptor(KeyEncryptionKey keyEncryptionKey, Type decryptorType) : IXmlEncryptor
{
    /// <summary>What every Data Protection key's secret is sealed for: it is sealed before the key's id is in it.</summary>
    public const string SealContext = "DataProtectionKeys";

    /// <summary>The element the sealed secret is kept in.</summary>
    public static readonly XName SealedElementName = "sealedSecret";

    public KeyEncryptionKeyXmlEncryptor(KeyEncryptionKey keyEncryptionKey)
        : this(keyEncryptionKey, typeof(KeyEncryptionKeyXmlDecryptor))
    {
    }

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(
        new XElement(SealedElementName, keyEncryptionKey.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting), SealContext)),
        decryptorType);
}
