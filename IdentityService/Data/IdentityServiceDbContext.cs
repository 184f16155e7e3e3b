using IdentityService.Keys;
using IdentityService.Revocation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityService.Data;

/// <summary>
/// One store for the ASP.NET Core Identity users, the OpenIddict entities (applications, scopes,
/// authorizations, tokens), the revocation records and the signing keys.
/// </summary>
public sealed class IdentityServiceDbContext(DbContextOptions<IdentityServiceDbContext> options)
    : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<SubjectRevocation> SubjectRevocations => Set<SubjectRevocation>();

    public DbSet<TokenExchangeLink> TokenExchangeLinks => Set<TokenExchangeLink>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

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
        builder.ApplyConfiguration(new SigningKey.Configuration());
    }
}
