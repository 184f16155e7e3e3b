using IdentityService.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace IdentityService.KeysAtRest;

internal static class KeysAtRestExtensions
{
    /// <summary>
    /// Every private key the store keeps is sealed with a key that is not in the store
    /// (<c>IdentityServer:KeyEncryptionKey</c>): the server's signing and encryption keys, and Data
    /// Protection's keys (the sign-in cookie, anti-forgery). A copy of the database alone then forges
    /// no token and no cookie.
    /// </summary>
    public static IHostApplicationBuilder AddKeysAtRest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => new KeyEncryptionKey(services.GetRequiredService<IOptions<IdentityServerOptions>>().Value.KeyEncryptionKey));
        builder.Services.AddScoped<StoredKeySealing>();
        builder.Services.AddDataProtection().ProtectKeysWithKeyEncryptionKey();
        return builder;
    }

    /// <summary>
    /// Data Protection seals each key it writes with the <see cref="KeyEncryptionKey"/>, and opens it
    /// again with <see cref="KeyEncryptionKeyXmlDecryptor"/>: the shape of its own <c>ProtectKeysWith*</c>.
    /// </summary>
    public static IDataProtectionBuilder ProtectKeysWithKeyEncryptionKey(this IDataProtectionBuilder dataProtection)
    {
        dataProtection.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(options =>
                options.XmlEncryptor = new KeyEncryptionKeyXmlEncryptor(services.GetRequiredService<KeyEncryptionKey>())));
        return dataProtection;
    }

    /// <summary>
    /// Seals what an earlier version kept in the clear and checks that every stored key opens with
    /// the key-encryption key, before any is used. False (logged, saying why) when one does not: the
    /// issuer must not start then.
    /// </summary>
    public static async Task<bool> TrySealKeysAtRestAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StoredKeySealing>().TrySealAsync(cancellationToken);
    }
}
