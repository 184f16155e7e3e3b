using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IdentityService.Data.Postgres;

/// <summary>
/// The store in PostgreSQL, shared by every instance of the issuer: what a deployment uses
/// (connection string <c>identitydb</c>, which the AppHost hands over in publish mode).
/// </summary>
public sealed class PostgresIdentityServiceDbContext(DbContextOptions<PostgresIdentityServiceDbContext> options)
    : IdentityServiceDbContext(options)
{
    /// <summary>For <c>dotnet ef migrations add ... --context PostgresIdentityServiceDbContext</c>; never opened.</summary>
    internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PostgresIdentityServiceDbContext>
    {
        public PostgresIdentityServiceDbContext CreateDbContext(string[] args) =>
            new(new DbContextOptionsBuilder<PostgresIdentityServiceDbContext>().UseNpgsql("Host=design-time").UseOpenIddict().Options);
    }
}
