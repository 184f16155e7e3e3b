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
        });

        // Users are only checked here, never signed in with a cookie: the core services plus
        // SignInManager (for its lockout-aware password check) are all that is needed.
        builder.Services.AddIdentityCore<IdentityUser>()
            .AddSignInManager()
            .AddEntityFrameworkStores<IdentityServiceDbContext>();

        builder.Services.AddHealthChecks().AddDbContextCheck<IdentityServiceDbContext>();

        return builder;
    }

    /// <summary>Creates the database on first start; an existing one is left as it is.</summary>
    public static async Task CreateIdentityStoreAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>();

        if (await db.Database.EnsureCreatedAsync())
        {
            app.Logger.LogInformation("Created the identity database in {DataDirectory}",
                scope.ServiceProvider.GetRequiredService<DataDirectory>().FullPath);
        }
    }
}
