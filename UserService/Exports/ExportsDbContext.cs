using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace UserService.Exports;

/// <summary>
/// The job store's own tables, beside the job engine's: the exports' state, and the Data Protection
/// keys every replica protects delegations with. Created by <see cref="ExportStoreSchema"/>.
/// </summary>
internal sealed class ExportsDbContext(DbContextOptions<ExportsDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<ExportRecord> Exports => Set<ExportRecord>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Times as Unix milliseconds: both providers compare and order them as numbers.
        modelBuilder.Entity<ExportRecord>(export =>
        {
            export.ToTable("exports");
            export.Property(e => e.Id).HasColumnName("id");
            export.Property(e => e.Owner).HasColumnName("owner");
            export.Property(e => e.Status).HasColumnName("status");
            export.Property(e => e.CreatedAt).HasColumnName("created_at").HasConversion(UnixMilliseconds.Converter);
            export.Property(e => e.FinishedAt).HasColumnName("finished_at").HasConversion(UnixMilliseconds.NullableConverter);
            export.Property(e => e.Result).HasColumnName("result");
            export.Property(e => e.FailureReason).HasColumnName("failure_reason");
        });

        modelBuilder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("data_protection_keys");
            key.Property(k => k.Id).HasColumnName("id");
            key.Property(k => k.FriendlyName).HasColumnName("friendly_name");
            key.Property(k => k.Xml).HasColumnName("xml");
        });
    }
}
