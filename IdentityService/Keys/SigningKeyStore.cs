using System.Security.Cryptography;
using IdentityService.Data;
using IdentityService.KeysAtRest;
using IdentityService.Settings;
using Microsoft.EntityFrameworkCore;
using ServiceDefaults.KeysAtRest;

namespace IdentityService.Keys;

/// <summary>
/// The signing keys in the store: read, written once, retired by an admin, deleted once retired. A key is written as
/// the successor of the newest one (<see cref="SigningKey.Follows"/>), once: when another instance
/// of the issuer wrote that successor first, writing answers null and the caller reads the keys again.
/// </summary>
internal sealed class SigningKeyStore(IdentityServiceDbContext db, KeyEncryptionKey keyEncryptionKey)
{
    // What a store's first key follows.
    private const string NoKey = "";

    /// <summary>
    /// The key a new one follows: the last written. Not the last to activate: a key retired before
    /// it signed may activate after the key written in its place.
    /// </summary>
    public static string LastWritten(IEnumerable<SigningKey> keys) =>
        keys.OrderBy(key => key.CreatedAt).ThenBy(key => key.Id, StringComparer.Ordinal).Last().Id;

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

    /// <summary>
    /// Retires <paramref name="keyId"/> at <paramref name="now"/>, in one transaction with the key that
    /// signs in its place if it was signing: the next key, published ahead and so held by the services
    /// already, activated now; else a new one, active at once. Alone among the instances' retirements.
    /// <paramref name="beforeCommit"/> is handed the keys as they will be once committed.
    /// </summary>
    public async Task<SigningKeyRetirement> RetireAsync(
        string keyId, DateTime now, SigningKeyOptions options, Action<IReadOnlyCollection<SigningKey>> beforeCommit, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginExclusiveTransactionAsync(StoreLock.SigningKeys, cancellationToken);
        var keys = await db.SigningKeys.ToListAsync(cancellationToken);
        if (keys.SingleOrDefault(key => key.Id == keyId) is not { } retired)
        {
            return new SigningKeyRetirement(RetirementOutcome.NotHeld, keyId, RetiredAt: null);
        }

        if (retired.RetiredAt is { } retiredBefore)
        {
            return new SigningKeyRetirement(RetirementOutcome.AlreadyRetired, keyId, retiredBefore);
        }

        var schedule = SigningKeySchedule.At(now, keys, options, retention: null);
        retired.RetiredAt = now;
        if (schedule.Active.Id == keyId)
        {
            if (schedule.Next is { } next)
            {
                keys.Single(key => key.Id == next.Id).ActivatesAt = now;
            }
            else
            {
                using var rsa = RSA.Create(RsaKeyMaterial.KeySizeInBits);
                db.SigningKeys.Add(NewKey(rsa, LastWritten(keys), now, activatesAt: now));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        beforeCommit([.. db.SigningKeys.Local]);
        await transaction.CommitAsync(cancellationToken);
        return new SigningKeyRetirement(RetirementOutcome.Retired, keyId, now);
    }

    public async Task DeleteAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var retired = ids.ToList();
        await db.SigningKeys.Where(key => retired.Contains(key.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>A new key's row, its private key sealed (<see cref="KeyEncryptionKey"/>).</summary>
    private SigningKey NewKey(RSA rsa, string follows, DateTime now, DateTime activatesAt)
    {
        var id = RsaKeyMaterial.KeyIdOf(rsa);
        return new SigningKey
        {
            Id = id,
            PrivateKeyPem = keyEncryptionKey.Seal(rsa.ExportPkcs8PrivateKeyPem(), SealContexts.SigningKey(id)),
            CreatedAt = now,
            ActivatesAt = activatesAt,
            Follows = follows,
        };
    }

    private async Task<SigningKey?> AddAsync(RSA rsa, string follows, DateTime now, DateTime activatesAt, CancellationToken cancellationToken)
    {
        var key = NewKey(rsa, follows, now, activatesAt);
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
