using IdentityService.Data.Postgres;
using IdentityService.Data.Sqlite;
using IdentityService.Settings;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IdentityService.Data;

internal static class DataStoreExtensions
{
    /// <summary>The connection string that makes the store PostgreSQL (the AppHost's database resource).</summary>
    public const string PostgresConnectionName = "identitydb";

    private const string DatabaseFileName = "identity.db";

    /// <summary>
    /// The store: PostgreSQL when a connection string <see cref="PostgresConnectionName"/> is given
    /// (a deployment, shared by every instance), an SQLite file in the data directory otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddIdentityStore(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetConnectionString(PostgresConnectionName) is not null)
        {
            // Aspire's client integration: pooling, health check, tracing. Not its retries: a retried
            // command cannot be part of the transactions the seeding, client sync and revocation open.
            builder.AddNpgsqlDbContext<PostgresIdentityServiceDbContext>(
                PostgresConnectionName,
                settings => settings.DisableRetry = true,
                options => options.UseOpenIddict());
            builder.Services.AddScoped<IdentityServiceDbContext>(services => services.GetRequiredService<PostgresIdentityServiceDbContext>());
        }
        else
        {
            builder.Services.AddDbContext<IdentityServiceDbContext, SqliteIdentityServiceDbContext>((services, options) =>
            {
                var databasePath = services.GetRequiredService<DataDirectory>().GetFilePath(DatabaseFileName);
                options.UseSqlite(new SqliteConnectionStringBuilder { DataSource = databasePath }.ToString());
                options.UseOpenIddict();
                options.AddInterceptors(new SqliteConnectionSettings());
            });
            builder.Services.AddHealthChecks().AddDbContextCheck<IdentityServiceDbContext>();
        }

        // Users are only checked here, never signed in with Identity's cookie: the core services,
        // and roles, which entitle a user to the privileged scopes (Roles/).
        builder.Services.AddIdentityCore<IdentityUser>()
            .AddRoles<IdentityRole>()
            .AddSignInManager()
            .AddEntityFrameworkStores<IdentityServiceDbContext>();

        return builder;
    }

    /// <summary>
    /// Creates the store or brings it up to date, from the migrations of its provider
    /// (Data/Sqlite/Migrations, Data/Postgres/Migrations).
    /// </summary>
    public static async Task CreateIdentityStoreAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>();

        if (db is SqliteIdentityServiceDbContext sqlite && await PreMigrationDatabase.AdoptAsync(sqlite, cancellationToken) is { } added)
        {
            app.Logger.LogInformation("Took the identity database under migrations; added {SchemaObjects}", added.Count == 0 ? "nothing" : string.Join(", ", added));
        }

        // Creates the database too where the server has none yet (a first deployment).
        await db.MigrateAloneAsync(cancellationToken);

        if (db is SqliteIdentityServiceDbContext)
        {
            // Every token issued is a row: write-ahead logging lets readers (token validation, the
            // revocation feed) run while a token is written. The mode is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL", cancellationToken);
        }
    }
}
