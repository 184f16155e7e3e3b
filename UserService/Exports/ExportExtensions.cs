using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using ServiceDefaults.KeysAtRest;
using UserService.Jobs;

namespace UserService.Exports;

public static class ExportExtensions
{
    /// <summary>The connection string that puts the job store in PostgreSQL (the AppHost's database resource), shared by every replica.</summary>
    public const string PostgresConnectionName = "jobsdb";

    private const string DatabaseFileName = "jobs.db";

    // Connections to PostgreSQL one replica opens at most, unless its connection string says otherwise.
    private const int MaxConnectionsPerReplica = 20;

    /// <summary>
    /// Exports run as background jobs of the job engine, on any replica, surviving restarts: the
    /// store is PostgreSQL when <see cref="PostgresConnectionName"/> is given (clustered over every
    /// replica), an SQLite file in <see cref="ExportOptions.DataDirectory"/> otherwise (one
    /// instance). Each job acts for its user with a delegation protected by the Data Protection keys
    /// the store keeps for every replica, each sealed with <see cref="ExportOptions.KeyEncryptionKey"/>,
    /// which is not in the store.
    /// </summary>
    public static IHostApplicationBuilder AddExports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExportOptions>()
            .BindConfiguration(ExportOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var settings = builder.Configuration.GetSection(ExportOptions.SectionName).Get<ExportOptions>() ?? new ExportOptions();

        JobStoreDatabase database;
        if (builder.Configuration.GetConnectionString(PostgresConnectionName) is { } configured)
        {
            // The server is shared by every replica and service: each replica's pool (the job engine's
            // and the exports' share it) is bounded, and a burst waits for a connection instead.
            var postgres = new NpgsqlConnectionStringBuilder(configured);
            if (!configured.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase) && !configured.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
            {
                postgres.MaxPoolSize = MaxConnectionsPerReplica;
            }

            // Aspire's client integration: pooling, health check, tracing; no retries of a statement that may have run.
            builder.AddNpgsqlDbContext<ExportsDbContext>(PostgresConnectionName, npgsql =>
            {
                npgsql.ConnectionString = postgres.ConnectionString;
                npgsql.DisableRetry = true;
            });
            database = new JobStoreDatabase(postgres.ConnectionString, IsPostgres: true);
        }
        else
        {
            var directory = Path.GetFullPath(settings.DataDirectory, builder.Environment.ContentRootPath);
            Directory.CreateDirectory(directory);
            var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, DatabaseFileName) }.ToString();
            builder.Services.AddDbContext<ExportsDbContext>(options => options.UseSqlite(sqlite));
            builder.Services.AddHealthChecks().AddDbContextCheck<ExportsDbContext>();
            database = new JobStoreDatabase(sqlite, IsPostgres: false);
        }

        builder.Services.AddSingleton(database);
        builder.Services.AddHostedService<ExportStoreInitializer>();
        builder.Services.AddJobStore(database, settings.RunJobs, settings.Concurrency);
        // One application name: every replica opens what another protected, wherever it is installed.
        builder.Services.AddDataProtection()
            .SetApplicationName("UserService")
            .PersistKeysToDbContext<ExportsDbContext>()
            .ProtectKeysWithKeyEncryptionKey(services => services.GetRequiredService<IOptions<ExportOptions>>().Value.KeyEncryptionKey);
        builder.Services.AddTokenDelegation();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<ExportStore>();
        builder.Services.AddScoped<ExportQueue>();

        return builder;
    }
}
