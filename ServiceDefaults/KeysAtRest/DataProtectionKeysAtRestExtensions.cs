using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServiceDefaults.KeysAtRest;

public static class DataProtectionKeysAtRestExtensions
{
    /// <summary>
    /// Data Protection seals each key it writes with a <see cref="KeyEncryptionKey"/> made from
    /// <paramref name="secret"/>, a secret kept out of the store the keys are persisted to, and
    /// opens it again with <see cref="KeyEncryptionKeyXmlDecryptor"/>: a copy of the store alone
    /// then unprotects nothing. The shape of Data Protection's own <c>ProtectKeysWith*</c>. The
    /// <see cref="KeyEncryptionKey"/> is registered as a singleton, for the service's other sealed values.
    /// </summary>
    /// <param name="secret">
    /// The service's secret (at least <see cref="KeyEncryptionKey.MinimumSecretLength"/> characters),
    /// read once, when a key is first read or written: from the service's validated options.
    /// </param>
    public static IDataProtectionBuilder ProtectKeysWithKeyEncryptionKey(this IDataProtectionBuilder dataProtection, Func<IServiceProvider, string> secret) =>
        dataProtection.ProtectKeysWithKeyEncryptionKey<KeyEncryptionKeyXmlDecryptor>(secret);

    /// <summary>
    /// As <see cref="ProtectKeysWithKeyEncryptionKey(IDataProtectionBuilder, Func{IServiceProvider, string})"/>,
    /// each key naming <typeparamref name="TDecryptor"/> as its decryptor: for a store whose keys
    /// already name a decryptor of the service's own, so that a process of that earlier version
    /// still opens the keys this one writes.
    /// </summary>
    /// <typeparam name="TDecryptor">
    /// Opens what <see cref="KeyEncryptionKeyXmlEncryptor"/> seals, by handing it to
    /// <see cref="KeyEncryptionKeyXmlDecryptor"/>; made by Data Protection with the services.
    /// </typeparam>
    public static IDataProtectionBuilder ProtectKeysWithKeyEncryptionKey<TDecryptor>(this IDataProtectionBuilder dataProtection, Func<IServiceProvider, string> secret)
        where TDecryptor : IXmlDecryptor
    {
        ArgumentNullException.ThrowIfNull(secret);
        dataProtection.Services.AddSingleton(services => new KeyEncryptionKey(secret(services)));
        dataProtection.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(options =>
                options.XmlEncryptor = new KeyEncryptionKeyXmlEncryptor(services.GetRequiredService<KeyEncryptionKey>(), typeof(TDecryptor))));
        return dataProtection;
    }
}
