using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityService.Keys;

/// <summary>
/// One signing key of the issuer, as the store keeps it: published in the JWKS from the moment it
/// is written, signing from <see cref="ActivatesAt"/> until the next key activates, and deleted
/// once every token it signed has expired (<see cref="SigningKeySchedule"/>).
/// </summary>
public sealed class SigningKey
{
    /// <summary>The <c>kid</c>: the RFC 7638 thumbprint of the public key.</summary>
    public required string Id { get; init; }

    /// <summary>The RSA private key, PKCS#8 PEM. The store is as secret as a key file.</summary>
    public required string PrivateKeyPem { get; init; }

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>UTC: when it starts signing.</summary>
    public DateTime ActivatesAt { get; set; }

    internal sealed class Configuration : IEntityTypeConfiguration<SigningKey>
    {
        public void Configure(EntityTypeBuilder<SigningKey> key)
        {
            key.HasKey(row => row.Id);
            key.Property(row => row.Id).HasMaxLength(64);
        }
    }
}
