using IdentityService.Keys;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using IdentityService.Revocation;
using IdentityService.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityService.Data;

/// <summary>
/// One store for the ASP.NET Core Identity users, the OpenIddict entities (applications, scopes,
/// authorizations, tokens), the revocation records and feed, people's sign-in sessions, the server's keys and Data Protection's keys. One model; each database
/// provider derives a context of its own, for its own migrations (Sqlite/, Postgres/).
/// </summary>
public abstract class IdentityServiceDbContext(DbContextOptions options)
    : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection's keys (sign-in cookie, anti-forgery), shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SubjectRevocation> SubjectRevocations => Set<SubjectRevocation>();

    public DbSet<TokenExchangeLink> TokenExchangeLinks => Set<TokenExchangeLink>();

    public DbSet<RevocationFeedEntry> RevocationFeedEntries => Set<RevocationFeedEntry>();

    /// <summary>People's sessions at the issuer (the sign-in cookie carries only their id).</summary>
    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<EncryptionKey> EncryptionKeys => Set<EncryptionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        // The OpenIddict entities are already mapped here (UseOpenIddict runs first).
        base.OnModelCreating(builder);

        // The revocation feed reads the revoked access tokens that have not expired yet: this
        // index answers exactly that, however many valid or expired tokens the table holds.
        builder.Entity<OpenIddictEntityFrameworkCoreToken>()
            .HasIndex(token => new { token.Status, token.Type, token.ExpirationDate });

        builder.ApplyConfiguration(new SubjectRevocation.Configuration());
        builder.ApplyConfiguration(new TokenExchangeLink.Configuration());
        builder.ApplyConfiguration(new RevocationFeedEntry.Configuration());
        builder.ApplyConfiguration(new SigningKey.Configuration());
        builder.ApplyConfiguration(new EncryptionKey.Configuration());
        builder.ApplyConfiguration(new SignInSession.Configuration());
    }
}
