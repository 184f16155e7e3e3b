using System.Security.Cryptography;
using IdentityService.Data;
using IdentityService.KeysAtRest;
using Microsoft.EntityFrameworkCore;

namespace IdentityService.Keys;

/// <summary>
/// The signing keys in the store: read, written once, deleted once retired. A key is written as
/// the successor of the newest one (<see cref="SigningKey.Follows"/>), once: when another instance
/// of the issuer wrote that successor first, writing answers null and the caller reads the keys again.
/// </summary>
internal sealed class SigningKeyStore(IdentityServiceDbContext db, KeyEncryptionKey keyEncryptionKey)
{
    // What a store's first key follows.
    private const string NoKey = "";

    public async Task<List<SigningKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>
    /// Writes a new key after <paramref name="newest"/> (null: the store's first), published from
    /// now on, signing from <paramref name="activatesAt"/>; null if another instance wrote it first.
    /// </summary>
    public async Task<SigningKey?> CreateAsync(string? newest, DateTime now, DateTime activatesAt, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(RsaKeyMaterial.KeySizeInBits);
        return await AddAsync(rsa, newest ?? NoKey, now, activatesAt, cancellationToken);
    }

    /// <summary>Takes in, as the store's first key, the key an earlier version kept as a file, so that its tokens stay valid.</summary>
    public async Task<SigningKey?> ImportAsync(string pem, DateTime now, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return await AddAsync(rsa, NoKey, now, activatesAt: now, cancellationToken);
    }

    public async Task DeleteAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var retired = ids.ToList();
        await db.SigningKeys.Where(key => retired.Contains(key.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<SigningKey?> AddAsync(RSA rsa, string follows, DateTime now, DateTime activatesAt, CancellationToken cancellationToken)
    {
        var id = RsaKeyMaterial.KeyIdOf(rsa);
        var key = new SigningKey
        {
            Id = id,
            PrivateKeyPem = keyEncryptionKey.Seal(rsa.ExportPkcs8PrivateKeyPem(), SealContexts.SigningKey(id)),
            CreatedAt = now,
            ActivatesAt = activatesAt,
            Follows = follows,
        };

        db.SigningKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return key;
        }
        catch (DbUpdateException)
        {
            // Told apart from any other failure by what the store holds now, the same for every provider.
            db.ChangeTracker.Clear();
            if (await db.SigningKeys.AnyAsync(written => written.Follows == follows, cancellationToken))
            {
                return null;
            }

            throw;
        }
    }
}
