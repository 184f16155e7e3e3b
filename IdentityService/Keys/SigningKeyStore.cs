using System.Security.Cryptography;
using IdentityService.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace IdentityService.Keys;

/// <summary>The signing keys in the store: read, written once, deleted once retired.</summary>
internal sealed class SigningKeyStore(IdentityServiceDbContext db)
{
    private const int KeySizeInBits = 2048;

    public async Task<List<SigningKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>Writes a new key, published from now on, signing from <paramref name="activatesAt"/>.</summary>
    public async Task<SigningKey> CreateAsync(DateTime now, DateTime activatesAt, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(KeySizeInBits);
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

    /// <summary>The key's public half and kid, ready for OpenIddict; the private half signs.</summary>
    public static RsaSecurityKey ToSecurityKey(SigningKey key)
    {
        // Not disposed: OpenIddict may still sign or verify with it while a request runs.
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.PrivateKeyPem);
        return new RsaSecurityKey(rsa) { KeyId = key.Id };
    }

    private async Task<SigningKey> AddAsync(RSA rsa, DateTime now, DateTime activatesAt, CancellationToken cancellationToken)
    {
        var key = new SigningKey
        {
            // The RFC 7638 thumbprint depends on the public key only: the same key always has the same kid.
            Id = Base64UrlEncoder.Encode(new RsaSecurityKey(rsa).ComputeJwkThumbprint()),
            PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(),
            CreatedAt = now,
            ActivatesAt = activatesAt,
        };

        db.SigningKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }
}
