using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using SharedDecryptor = ServiceDefaults.KeysAtRest.KeyEncryptionKeyXmlDecryptor;

namespace IdentityService.KeysAtRest;

/// <summary>
/// The decryptor the issuer's Data Protection keys name. Data Protection makes a key's decryptor
/// from the assembly-qualified type name stored in the key
/// (<c>IdentityService.KeysAtRest.KeyEncryptionKeyXmlDecryptor, IdentityService</c>), and every key an
/// issuer has written since keys at rest names this one: it stays here under this name, hands each
/// secret to the shared <see cref="SharedDecryptor"/>, and the issuer's new keys name it too, so an
/// issuer of the earlier version (a replica not yet updated, a rollback) opens them. Do not rename or move it.
/// </summary>
internal sealed class KeyEncryptionKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private readonly SharedDecryptor _decryptor = new(services);

    public XElement Decrypt(XElement encryptedElement) => _decryptor.Decrypt(encryptedElement);
}
