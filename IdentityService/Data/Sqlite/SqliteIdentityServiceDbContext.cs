using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IdentityService.Data.Sqlite;

/// <summary>The store in an SQLite file of the data directory: the default, with nothing to install.</summary>
public sealed class SqliteIdentityServiceDbContext(DbContextOptions<SqliteIdentityServiceDbContext> options)
    : IdentityServiceDbContext(options)
{
    /// <summary>For <c>dotnet ef migrations add ... --context SqliteIdentityServiceDbContext</c>; never opened.</summary>
    internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SqliteIdentityServiceDbContext>
    {
        public SqliteIdentityServiceDbContext CreateDbContext(string[] args) =>
            new(new DbContextOptionsBuilder<SqliteIdentityServiceDbContext>().UseSqlite("Data Source=design-time.db").UseOpenIddict().Options);
    }
}
