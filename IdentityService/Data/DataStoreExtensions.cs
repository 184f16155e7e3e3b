using IdentityService.Settings;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IdentityService.Data;

internal static class DataStoreExtensions
{
    private const string DatabaseFileName = "identity.db";

    public static IHostApplicationBuilder AddIdentityStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDbContext<IdentityServiceDbContext>((services, options) =>
        {
            var databasePath = services.GetRequiredService<DataDirectory>().GetFilePath(DatabaseFileName);
            options.UseSqlite(new SqliteConnectionStringBuilder { DataSource = databasePath }.ToString());
            options.UseOpenIddict();
            options.AddInterceptors(new SqliteBusyTimeout());
        });

        // Users are only checked here, never signed in with a cookie: the core services plus
        // SignInManager (for its lockout-aware password check) are all that is needed.
        builder.Services.AddIdentityCore<IdentityUser>()
            .AddSignInManager()
            .AddEntityFrameworkStores<IdentityServiceDbContext>();

        builder.Services.AddHealthChecks().AddDbContextCheck<IdentityServiceDbContext>();

        return builder;
    }

    /// <summary>
    /// Creates the database on first start; an existing one keeps its data and gets the tables and
    /// indexes a newer version added.
    /// </summary>
    public static async Task CreateIdentityStoreAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>();

        if (await db.Database.EnsureCreatedAsync(cancellationToken))
        {
            app.Logger.LogInformation("Created the identity database in {DataDirectory}",
                scope.ServiceProvider.GetRequiredService<DataDirectory>().FullPath);
        }
        else if (await MissingSchema.CreateAsync(db, cancellationToken) is { Count: > 0 } created)
        {
            app.Logger.LogInformation("Added {SchemaObjects} to the identity database", created);
        }

        // Every token issued is a row: write-ahead logging lets readers (token validation, the
        // revocation feed) run while a token is written. EF Core creates databases in WAL mode; this
        // covers one created otherwise. The mode is stored in the file, so once is enough.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL", cancellationToken);
    }
}
