using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityService.Revocation;

/// <summary>
/// One line of the revocation feed, as the services are sent it: a revoked access token, a
/// subject whose tokens issued until <see cref="RevokedAt"/> are revoked, or a signing key retired
/// at once (every token it signed is refused). Written by
/// <see cref="RevocationFeedLog"/> only, which numbers each line with the feed version that
/// brought it, so a service holding version V is sent the lines after V alone.
/// </summary>
public sealed class RevocationFeedEntry
{
    /// <summary>The feed version that brought this line: numbered in the order lines are committed.</summary>
    public long Version { get; set; }

    /// <summary>A revoked access token's <c>jti</c>; null on a subject's line.</summary>
    public string? TokenId { get; set; }

    /// <summary>A revoked subject's SHA-256 (lower-case hex); null on a token's line.</summary>
    public string? SubjectSha256 { get; set; }

    /// <summary>The <c>kid</c> of a signing key retired at once; null on other lines.</summary>
    public string? KeyId { get; set; }

    /// <summary>UTC, on a subject's line: its tokens issued at or before this instant are revoked.</summary>
    public DateTime? RevokedAt { get; set; }

    /// <summary>UTC: when every token the line covers has expired.</summary>
    public DateTime ListedUntil { get; set; }

    internal sealed class Configuration : IEntityTypeConfiguration<RevocationFeedEntry>
    {
        public void Configure(EntityTypeBuilder<RevocationFeedEntry> entry)
        {
            entry.HasKey(row => row.Version);
            entry.Property(row => row.Version).ValueGeneratedOnAdd();
            entry.Property(row => row.TokenId).HasMaxLength(100);
            entry.Property(row => row.SubjectSha256).HasMaxLength(64);
            entry.Property(row => row.KeyId).HasMaxLength(64);

            // One line per token, per subject and per key: a subject revoked further is a new line in place of the old.
            entry.HasIndex(row => row.TokenId).IsUnique();
            entry.HasIndex(row => row.SubjectSha256).IsUnique();
            entry.HasIndex(row => row.KeyId).IsUnique();
            entry.HasIndex(row => row.ListedUntil);
        }
    }
}
