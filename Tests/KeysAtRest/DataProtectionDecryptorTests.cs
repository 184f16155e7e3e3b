using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using ServiceDefaults.KeysAtRest;
using IssuersDecryptor = IdentityService.KeysAtRest.KeyEncryptionKeyXmlDecryptor;

namespace Tests.KeysAtRest;

/// <summary>
/// Data Protection makes each stored key's decryptor from the type name the key holds. The issuer's
/// keys name its own decryptor, as they did before the key-encryption key moved to ServiceDefaults,
/// so that keys written before open now and keys written now open in an issuer of that version;
/// another service's (UserService's) name the shared one. Each opens with its store's secret only.
/// </summary>
public sealed class DataProtectionDecryptorTests
{
    /// <summary>What the issuer's keys have named since they were first sealed, as they are stored.</summary>
    private const string IssuersDecryptorName =
        "IdentityService.KeysAtRest.KeyEncryptionKeyXmlDecryptor, IdentityService, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null";

    private const string Payload = "a delegation";

    private const string SharedDecryptorName = "ServiceDefaults.KeysAtRest.KeyEncryptionKeyXmlDecryptor, ServiceDefaults,";

    private static readonly XName DecryptorType = "decryptorType";

    private readonly string _secret = IssuerProcess.NewKeyEncryptionKey();

    [Fact]
    public void The_issuer_writes_and_opens_keys_naming_its_own_decryptor_as_earlier_versions_stored_them()
    {
        var store = new KeyStore();
        var protectedBytes = Protect(store, dataProtection => dataProtection.ProtectKeysWithKeyEncryptionKey<IssuersDecryptor>(_ => _secret));

        Assert.Equal(IssuersDecryptorName, Assert.Single(store.DecryptorNames()));

        // A new process, as an issuer started on the store: the key is opened by the type its name gives.
        Assert.Equal(Payload, Unprotect(store, dataProtection => dataProtection.ProtectKeysWithKeyEncryptionKey<IssuersDecryptor>(_ => _secret), protectedBytes));
    }

    [Fact]
    public void A_service_without_a_decryptor_of_its_own_writes_keys_naming_the_shared_one_which_open_with_its_secret_only()
    {
        var store = new KeyStore();
        var protectedBytes = Protect(store, dataProtection => dataProtection.ProtectKeysWithKeyEncryptionKey(_ => _secret));

        Assert.StartsWith(SharedDecryptorName, Assert.Single(store.DecryptorNames()), StringComparison.Ordinal);
        Assert.DoesNotContain(store.Keys, key => key.ToString().Contains("<masterKey", StringComparison.Ordinal));
        Assert.Equal(Payload, Unprotect(store, dataProtection => dataProtection.ProtectKeysWithKeyEncryptionKey(_ => _secret), protectedBytes));

        var another = IssuerProcess.NewKeyEncryptionKey();
        Assert.ThrowsAny<CryptographicException>(() => Unprotect(store, dataProtection => dataProtection.ProtectKeysWithKeyEncryptionKey(_ => another), protectedBytes));
    }

    private static byte[] Protect(KeyStore store, Action<IDataProtectionBuilder> sealKeys)
    {
        using var services = DataProtection(store, sealKeys);
        return Protector(services).Protect(Encoding.UTF8.GetBytes(Payload));
    }

    private static string Unprotect(KeyStore store, Action<IDataProtectionBuilder> sealKeys, byte[] protectedBytes)
    {
        using var services = DataProtection(store, sealKeys);
        return Encoding.UTF8.GetString(Protector(services).Unprotect(protectedBytes));
    }

    private static IDataProtector Protector(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests");

    private static ServiceProvider DataProtection(KeyStore store, Action<IDataProtectionBuilder> sealKeys)
    {
        var services = new ServiceCollection();
        var dataProtection = services.AddDataProtection().SetApplicationName("tests");
        sealKeys(dataProtection);
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = store);
        return services.BuildServiceProvider();
    }

    /// <summary>The keys as a store keeps them: their XML, shared by every process started on it.</summary>
    private sealed class KeyStore : IXmlRepository
    {
        public List<XElement> Keys { get; } = [];

        public IReadOnlyCollection<XElement> GetAllElements() => [.. Keys.Select(key => new XElement(key))];

        public void StoreElement(XElement element, string friendlyName) => Keys.Add(new XElement(element));

        public IEnumerable<string> DecryptorNames() =>
            Keys.SelectMany(key => key.Descendants()).Select(element => (string?)element.Attribute(DecryptorType)).OfType<string>();
    }
}
