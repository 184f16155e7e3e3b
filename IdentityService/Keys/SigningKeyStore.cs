using System.Security.Cryptography;
using IdentityService.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityService.Keys;

/// <summary>The signing keys in the store: read, written once, deleted once retired.</summary>
internal sealed class SigningKeyStore(IdentityServiceDbContext db)
{
    public async Task<List<SigningKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>Writes a new key, published from now on, signing from <paramref name="activatesAt"/>.</summary>
    public async Task<SigningKey> CreateAsync(DateTime now, DateTime activatesAt, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(RsaKeyMaterial.KeySizeInBits);
        return await AddAsync(rsa, now, activatesAt, cancellationToken);
    }

    /// <summary>Takes in the key an earlier version kept as a file, so that its tokens stay valid.</summary>
    public async Task<SigningKey> ImportAsync(string pem, DateTime now, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return await AddAsync(rsa, now, activatesAt: now, cancellationToken);
    }

    public async Task DeleteAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var retired = ids.ToList();
        await db.SigningKeys.Where(key => retired.Contains(key.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<SigningKey> AddAsync(RSA rsa, DateTime now, DateTime activatesAt, CancellationToken cancellationToken)
    {
        var key = new SigningKey
        {
            Id = RsaKeyMaterial.KeyIdOf(rsa),
            PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(),
            CreatedAt = now,
            ActivatesAt = activatesAt,
        };

        db.SigningKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }
}
