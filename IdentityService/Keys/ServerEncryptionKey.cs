using System.Security.Cryptography;
using IdentityService.Data;
using IdentityService.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace IdentityService.Keys;

/// <summary>
/// The encryption key the issuer uses, read from the store at start; the first instance to start
/// on an empty store writes it (taking in the <c>encryption-key.pem</c> an earlier version kept).
/// </summary>
internal sealed partial class ServerEncryptionKey(
    IServiceScopeFactory scopes,
    DataDirectory dataDirectory,
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

        if (!await db.EncryptionKeys.AnyAsync(cancellationToken))
        {
            await CreateAsync(db, cancellationToken);
        }

        // Instances that started on an empty store at the same time may each have written one:
        // they all take the first.
        var stored = await db.EncryptionKeys.AsNoTracking()
            .OrderBy(key => key.CreatedAt).ThenBy(key => key.Id)
            .FirstAsync(cancellationToken);

        _key = RsaKeyMaterial.ToSecurityKey(stored.PrivateKeyPem, stored.Id);
    }

    private async Task CreateAsync(IdentityServiceDbContext db, CancellationToken cancellationToken)
    {
        var legacyFile = dataDirectory.GetFilePath(LegacyKeyFileName);
        using var rsa = RSA.Create(RsaKeyMaterial.KeySizeInBits);
        if (File.Exists(legacyFile))
        {
            rsa.ImportFromPem(await File.ReadAllTextAsync(legacyFile, cancellationToken));
        }

        var key = new EncryptionKey
        {
            Id = RsaKeyMaterial.KeyIdOf(rsa),
            PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(),
            CreatedAt = timeProvider.GetUtcNow().UtcDateTime,
        };

        db.EncryptionKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);

        if (File.Exists(legacyFile))
        {
            // The key now lives in the store only: a private key left behind in a file is one more to guard.
            File.Delete(legacyFile);
            LogLegacyKeyImported(key.Id, legacyFile);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved encryption key {KeyId} from {File} into the store")]
    private partial void LogLegacyKeyImported(string keyId, string file);
}
