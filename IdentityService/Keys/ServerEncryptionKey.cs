using System.Security.Cryptography;
using IdentityService.Data;
using IdentityService.KeysAtRest;
using IdentityService.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using ServiceDefaults.KeysAtRest;

namespace IdentityService.Keys;

/// <summary>
/// The encryption key the issuer uses, read from the store at start; the first instance to start
/// on an empty store writes it (taking in the <c>encryption-key.pem</c> an earlier version kept).
/// </summary>
internal sealed partial class ServerEncryptionKey(
    IServiceScopeFactory scopes,
    DataDirectory dataDirectory,
    KeyEncryptionKey keyEncryptionKey,
    TimeProvider timeProvider,
    ILogger<ServerEncryptionKey> logger)
{
    private const string LegacyKeyFileName = "encryption-key.pem";

    private RsaSecurityKey? _key;

    public RsaSecurityKey Key => _key ?? throw new InvalidOperationException(
        $"The encryption key is not loaded: call {nameof(ServerKeyExtensions.LoadServerKeysAsync)} before the app starts.");

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>();

        // Instances started together on an empty store write one key between them. A store written
        // before start-ups were serialized may hold two: all take the first.
        await using var transaction = await db.BeginExclusiveTransactionAsync(StoreLock.Startup, cancellationToken);
        var stored = await db.EncryptionKeys.AsNoTracking()
            .OrderBy(key => key.CreatedAt).ThenBy(key => key.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var legacyFile = dataDirectory.GetFilePath(LegacyKeyFileName);
        var imported = stored is null && File.Exists(legacyFile);
        stored ??= await CreateAsync(db, imported ? legacyFile : null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (imported)
        {
            // The key now lives in the store only: a private key left behind in a file is one more to guard.
            File.Delete(legacyFile);
            LogLegacyKeyImported(stored.Id, legacyFile);
        }

        _key = RsaKeyMaterial.ToSecurityKey(keyEncryptionKey.Unseal(stored.PrivateKeyPem, SealContexts.EncryptionKey(stored.Id)), stored.Id);
    }

    private async Task<EncryptionKey> CreateAsync(IdentityServiceDbContext db, string? legacyFile, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(RsaKeyMaterial.KeySizeInBits);
        if (legacyFile is not null)
        {
            rsa.ImportFromPem(await File.ReadAllTextAsync(legacyFile, cancellationToken));
        }

        var id = RsaKeyMaterial.KeyIdOf(rsa);
        var key = new EncryptionKey
        {
            Id = id,
            PrivateKeyPem = keyEncryptionKey.Seal(rsa.ExportPkcs8PrivateKeyPem(), SealContexts.EncryptionKey(id)),
            CreatedAt = timeProvider.GetUtcNow().UtcDateTime,
        };

        db.EncryptionKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved encryption key {KeyId} from {File} into the store")]
    private partial void LogLegacyKeyImported(string keyId, string file);
}
