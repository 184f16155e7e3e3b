using System.Xml.Linq;
using ServiceDefaults.KeysAtRest;

namespace IdentityService.KeysAtRest;

/// <summary>
/// The parts of a Data Protection key's XML that say what is secret, as Data Protection writes
/// them: an element marked <c>requiresEncryption</c> is the secret in the clear; an
/// <c>encryptedSecret</c> holds it sealed, with the type of the decryptor that opens it.
/// </summary>
internal static class DataProtectionKeyXml
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly XName RequiresEncryption = DataProtection + "requiresEncryption";
    private static readonly XName EncryptedSecret = DataProtection + "encryptedSecret";
    private static readonly XName DecryptorType = "decryptorType";

    // The decryptors a key sealed with the key-encryption key names: the issuer's own, and the shared one.
    private static readonly string[] KeyEncryptionKeyDecryptors =
        [typeof(KeyEncryptionKeyXmlDecryptor).FullName + ",", typeof(ServiceDefaults.KeysAtRest.KeyEncryptionKeyXmlDecryptor).FullName + ","];

    /// <summary>The secrets in the clear (a key written with no XML encryptor).</summary>
    public static IReadOnlyList<XElement> SecretsInTheClear(XElement key) =>
        [.. key.Descendants().Where(element => (bool?)element.Attribute(RequiresEncryption) == true)];

    /// <summary>What each secret sealed by <see cref="KeyEncryptionKeyXmlEncryptor"/> was sealed into.</summary>
    public static IEnumerable<XElement> SealedSecrets(XElement key) =>
        key.Descendants(EncryptedSecret)
            .Where(secret => (string?)secret.Attribute(DecryptorType) is { } decryptor
                && KeyEncryptionKeyDecryptors.Any(name => decryptor.StartsWith(name, StringComparison.Ordinal)))
            .Select(secret => secret.Elements().Single());

    /// <summary>Puts <paramref name="secret"/>, sealed, in its own place, as Data Protection does when it writes a key.</summary>
    public static void Seal(XElement secret, KeyEncryptionKeyXmlEncryptor encryptor)
    {
        var encrypted = encryptor.Encrypt(new XElement(secret));
        secret.ReplaceWith(new XElement(EncryptedSecret,
            new XAttribute(DecryptorType, encrypted.DecryptorType.AssemblyQualifiedName!),
            encrypted.EncryptedElement));
    }
}
