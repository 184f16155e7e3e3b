using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityService.Keys;

/// <summary>
/// The key OpenIddict encrypts the tokens it issues to itself with (authorization codes, refresh
/// tokens), as the store keeps it: one row, shared by every instance of the issuer, so that a
/// refresh token one instance issued can be redeemed at another. Access tokens are signed only.
/// </summary>
public sealed class EncryptionKey
{
    /// <summary>The <c>kid</c>: the RFC 7638 thumbprint of the public key.</summary>
    public required string Id { get; init; }

    /// <summary>The RSA private key, PKCS#8 PEM, sealed with the key-encryption key (<c>KeysAtRest</c>).</summary>
    public required string PrivateKeyPem { get; init; }

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; init; }

    internal sealed class Configuration : IEntityTypeConfiguration<EncryptionKey>
    {
        public void Configure(EntityTypeBuilder<EncryptionKey> key)
        {
            key.HasKey(row => row.Id);
            key.Property(row => row.Id).HasMaxLength(64);
        }
    }
}
