using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace IdentityService.KeysAtRest;

/// <summary>
/// Seals the secret part of each Data Protection key (its <c>masterKey</c>) with the
/// <see cref="KeyEncryptionKey"/> before Data Protection writes the key to the store; Data
/// Protection records <see cref="KeyEncryptionKeyXmlDecryptor"/> beside it to open it again.
/// </summary>
internal sealed class KeyEncryptionKeyXmlEncryptor(KeyEncryptionKey keyEncryptionKey) : IXmlEncryptor
{
    /// <summary>The element the sealed secret is kept in.</summary>
    public static readonly XName SealedElementName = "sealedSecret";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(
        new XElement(SealedElementName, keyEncryptionKey.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting), SealContexts.DataProtectionKey)),
        typeof(KeyEncryptionKeyXmlDecryptor));
}
