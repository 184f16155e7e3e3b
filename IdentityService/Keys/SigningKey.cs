using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityService.Keys;

/// <summary>
/// One signing key of the issuer, as the store keeps it: published in the JWKS from the moment it
/// is written, signing from <see cref="ActivatesAt"/> until the next key activates, and deleted
/// once every token it signed has expired (<see cref="SigningKeySchedule"/>); or retired at once
/// (<see cref="RetiredAt"/>), when it may have leaked.
/// </summary>
public sealed class SigningKey
{
    /// <summary>The <c>kid</c>: the RFC 7638 thumbprint of the public key.</summary>
    public required string Id { get; init; }

    /// <summary>The RSA private key, PKCS#8 PEM, sealed with the key-encryption key (<c>KeysAtRest</c>).</summary>
    public required string PrivateKeyPem { get; init; }

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>UTC: when it starts signing.</summary>
    public DateTime ActivatesAt { get; set; }

    /// <summary>
    /// The <c>kid</c> of the key written last before this one; empty for a store's first key.
    /// Unique: instances of the issuer that find a new key due at the same moment write one between them.
    /// </summary>
    public string? Follows { get; init; }

    /// <summary>
    /// UTC: when an admin retired it (<see cref="SigningKeyRotation.RetireAsync"/>). From then on it neither
    /// signs, nor is published, nor verifies anything, and the revocation feed tells the services to
    /// refuse its tokens; the row stays until they would all have expired, then goes.
    /// </summary>
    public DateTime? RetiredAt { get; set; }

    internal sealed class Configuration : IEntityTypeConfiguration<SigningKey>
    {
        public void Configure(EntityTypeBuilder<SigningKey> key)
        {
            key.HasKey(row => row.Id);
            key.Property(row => row.Id).HasMaxLength(64);
            key.Property(row => row.Follows).HasMaxLength(64);
            key.HasIndex(row => row.Follows).IsUnique();
        }
    }
}
