using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityService.Revocation;

/// <summary>
/// "Every token of <see cref="Subject"/> issued at or before <see cref="RevokedAt"/> is revoked",
/// whether or not it is stored: resource servers apply it from the revocation feed. One row per
/// subject; revoking it again moves the instant forward.
/// </summary>
public sealed class SubjectRevocation
{
    public required string Subject { get; init; }

    /// <summary>The subject's SHA-256 (lower-case hex), which the feed names it by, keyed (<see cref="Microsoft.Extensions.Hosting.RevokedSubjectHash"/>).</summary>
    public required string SubjectSha256 { get; init; }

    /// <summary>UTC.</summary>
    public DateTime RevokedAt { get; set; }

    /// <summary>
    /// UTC: <see cref="RevokedAt"/> plus the access token lifetime at that moment. By then every token
    /// it covers has expired, so the feed stops listing it.
    /// </summary>
    public DateTime ListedUntil { get; set; }

    internal sealed class Configuration : IEntityTypeConfiguration<SubjectRevocation>
    {
        public void Configure(EntityTypeBuilder<SubjectRevocation> revocation)
        {
            revocation.HasKey(row => row.Subject);
            revocation.Property(row => row.Subject).HasMaxLength(400);
            revocation.Property(row => row.SubjectSha256).HasMaxLength(64);
            revocation.HasIndex(row => row.ListedUntil);
        }
    }
}
