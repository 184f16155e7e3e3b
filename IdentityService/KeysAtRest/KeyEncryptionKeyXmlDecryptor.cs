using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace IdentityService.KeysAtRest;

/// <summary>
/// Opens what <see cref="KeyEncryptionKeyXmlEncryptor"/> sealed. Data Protection makes it by its
/// type name, recorded in each key, with the one constructor it knows to fill: the services.
/// </summary>
internal sealed class KeyEncryptionKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private readonly KeyEncryptionKey _keyEncryptionKey = services.GetRequiredService<KeyEncryptionKey>();

    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(_keyEncryptionKey.Unseal(encryptedElement.Value, SealContexts.DataProtectionKey));
}
