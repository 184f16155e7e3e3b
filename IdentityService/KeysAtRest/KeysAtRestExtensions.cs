using IdentityService.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using ServiceDefaults.KeysAtRest;

namespace IdentityService.KeysAtRest;

internal static class KeysAtRestExtensions
{
    /// <summary>The setting the secret comes from, as an operator writes it.</summary>
    public const string SettingName = IdentityServerOptions.SectionName + ":" + nameof(IdentityServerOptions.KeyEncryptionKey);

    /// <summary>
    /// Every private key the store keeps is sealed with a key that is not in the store
    /// (<c>IdentityServer:KeyEncryptionKey</c>): the server's signing and encryption keys, and Data
    /// Protection's keys (the sign-in cookie, anti-forgery). A copy of the database alone then forges
    /// no token and no cookie.
    /// </summary>
    public static IHostApplicationBuilder AddKeysAtRest(this IHostApplicationBuilder builder)
    {
        // Data Protection's keys keep naming the issuer's own decryptor, as they have since they were first sealed.
        builder.Services.AddDataProtection().ProtectKeysWithKeyEncryptionKey<KeyEncryptionKeyXmlDecryptor>(
            services => services.GetRequiredService<IOptions<IdentityServerOptions>>().Value.KeyEncryptionKey);
        builder.Services.AddScoped<StoredKeySealing>();
        return builder;
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
