using System.Xml.Linq;
using IdentityService.Data;
using Microsoft.EntityFrameworkCore;
using ServiceDefaults.KeysAtRest;

namespace IdentityService.KeysAtRest;

/// <summary>
/// At start, before any key is used: seals the keys an earlier version kept in the clear (signing,
/// encryption and Data Protection keys), and checks that every sealed key opens with the
/// configured <see cref="KeyEncryptionKey"/>, so that an issuer given the wrong one stops at once,
/// saying why, rather than failing on some later request. Alone among the store's instances.
/// </summary>
internal sealed partial class StoredKeySealing(
    IdentityServiceDbContext db,
    KeyEncryptionKey keyEncryptionKey,
    ILogger<StoredKeySealing> logger)
{
    /// <returns>False, logged with the reason, when a stored key does not open with the key-encryption key.</returns>
    public async Task<bool> TrySealAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginExclusiveTransactionAsync(StoreLock.Startup, cancellationToken);
        try
        {
            var sealedNow = await SealSigningKeysAsync(cancellationToken)
                + await SealEncryptionKeysAsync(cancellationToken)
                + await SealDataProtectionKeysAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (sealedNow > 0)
            {
                LogSealed(sealedNow, KeysAtRestExtensions.SettingName);
            }

            return true;
        }
        catch (StoredKeyNotOpenedException notOpened)
        {
            LogNotStarting(Explain(notOpened));
            return false;
        }
    }

    private async Task<int> SealSigningKeysAsync(CancellationToken cancellationToken)
    {
        var sealedNow = 0;
        foreach (var key in await db.SigningKeys.AsNoTracking().Select(key => new { key.Id, key.PrivateKeyPem }).ToListAsync(cancellationToken))
        {
            if (SealedIfInTheClear(key.PrivateKeyPem, SealContexts.SigningKey(key.Id)) is { } sealedPem)
            {
                sealedNow += await db.SigningKeys.Where(row => row.Id == key.Id)
                    .ExecuteUpdateAsync(row => row.SetProperty(stored => stored.PrivateKeyPem, sealedPem), cancellationToken);
            }
        }

        return sealedNow;
    }

    private async Task<int> SealEncryptionKeysAsync(CancellationToken cancellationToken)
    {
        var sealedNow = 0;
        foreach (var key in await db.EncryptionKeys.AsNoTracking().Select(key => new { key.Id, key.PrivateKeyPem }).ToListAsync(cancellationToken))
        {
            if (SealedIfInTheClear(key.PrivateKeyPem, SealContexts.EncryptionKey(key.Id)) is { } sealedPem)
            {
                sealedNow += await db.EncryptionKeys.Where(row => row.Id == key.Id)
                    .ExecuteUpdateAsync(row => row.SetProperty(stored => stored.PrivateKeyPem, sealedPem), cancellationToken);
            }
        }

        return sealedNow;
    }

    private async Task<int> SealDataProtectionKeysAsync(CancellationToken cancellationToken)
    {
        // As Data Protection writes them here: naming the issuer's own decryptor (KeysAtRestExtensions).
        var encryptor = new KeyEncryptionKeyXmlEncryptor(keyEncryptionKey, typeof(KeyEncryptionKeyXmlDecryptor));
        var sealedNow = 0;
        foreach (var key in await db.DataProtectionKeys.AsNoTracking().Where(key => key.Xml != null).Select(key => new { key.Id, key.Xml }).ToListAsync(cancellationToken))
        {
            var element = XElement.Parse(key.Xml!);
            foreach (var secret in DataProtectionKeyXml.SealedSecrets(element))
            {
                keyEncryptionKey.Unseal(secret.Value, SealContexts.DataProtectionKey);
            }

            var inTheClear = DataProtectionKeyXml.SecretsInTheClear(element);
            if (inTheClear.Count == 0)
            {
                continue;
            }

            foreach (var secret in inTheClear)
            {
                DataProtectionKeyXml.Seal(secret, encryptor);
            }

            var sealedXml = element.ToString(SaveOptions.DisableFormatting);
            sealedNow += await db.DataProtectionKeys.Where(row => row.Id == key.Id)
                .ExecuteUpdateAsync(row => row.SetProperty(stored => stored.Xml, sealedXml), cancellationToken);
        }

        return sealedNow;
    }

    /// <returns>The value sealed if it was in the clear; null if it was sealed already (and opens).</returns>
    private string? SealedIfInTheClear(string stored, string context)
    {
        if (!KeyEncryptionKey.IsSealed(stored))
        {
            return keyEncryptionKey.Seal(stored, context);
        }

        keyEncryptionKey.Unseal(stored, context);
        return null;
    }

    /// <summary>Why the issuer does not start, and what the operator does about it: the setting, the AppHost's parameter.</summary>
    internal static string Explain(StoredKeyNotOpenedException notOpened) => notOpened.InTheClear
        ? $"The stored key {notOpened.Context} is in the clear, not sealed with {KeysAtRestExtensions.SettingName}: an issuer of an earlier " +
            "version wrote it after this one started. Stop the earlier version and restart this one, which seals the keys it finds in the clear."
        : $"The stored key {notOpened.Context} does not open with {KeysAtRestExtensions.SettingName}: it is not the key this store was sealed with " +
            "(or the row was altered). Start the issuer with the store's own key (under the AppHost, its secret parameter " +
            "'key-encryption-key': in the AppHost's user secrets under dotnet run, in the azd environment when deployed), " +
            "or, to start afresh, empty the store: every key, token and session it holds is then lost.";

    [LoggerMessage(Level = LogLevel.Information, Message = "Sealed {Count} keys an earlier version kept in the clear, with {Setting}")]
    private partial void LogSealed(int count, string setting);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The issuer does not start. {Reason}")]
    private partial void LogNotStarting(string reason);
}
