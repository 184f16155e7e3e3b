using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace ServiceDefaults.KeysAtRest;

/// <summary>
/// Opens what <see cref="KeyEncryptionKeyXmlEncryptor"/> sealed. Data Protection makes it by its
/// assembly-qualified type name, recorded in each key, with the one constructor it knows to fill:
/// the services. That name is part of every stored key: moving or renaming this type leaves the
/// keys that name it unopened.
/// </summary>
public sealed class KeyEncryptionKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private readonly KeyEncryptionKey _keyEncryptionKey = services.GetRequiredService<KeyEncryptionKey>();

    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(_keyEncryptionKey.Unseal(encryptedElement.Value, KeyEncryptionKeyXmlEncryptor.SealContext));
}
