using Microsoft.Data.Sqlite;
using Npgsql;
using Quartz;

namespace UserService.Jobs;

internal static class JobStoreExtensions
{
    // A replica is written off once its last check-in is older than its interval plus the threshold,
    // and peers look every interval: a dead replica's jobs are taken over within about
    // 1 + 2 (+ up to 1) = 3-4 s. The threshold is the margin a live replica has for a GC pause or a
    // slow database before peers re-run its recoverable jobs while it is still running them.
    private static readonly TimeSpan ClusterCheckinInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ClusterCheckinMisfireThreshold = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Quartz with its ADO.NET job store in <paramref name="database"/>. With <paramref name="runJobs"/>,
    /// the scheduler runs at most <paramref name="maxConcurrency"/> jobs at once in this process,
    /// started and stopped with the host; without, this process only schedules jobs for others to run.
    /// </summary>
    internal static IServiceCollection AddJobStore(
        this IServiceCollection services, JobStoreDatabase database, bool runJobs, int maxConcurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);

        services.AddQuartz(quartz =>
        {
            quartz.UseDefaultThreadPool(maxConcurrency);
            quartz.UsePersistentStore(store =>
            {
                // The factory overloads bind the driver at compile time instead of loading it by name.
                if (database.IsPostgres)
                {
                    store.UsePostgres(NpgsqlFactory.Instance, database.ConnectionString);

                    // Also gives each replica a generated instance id (host name + timestamp): the
                    // equivalent of quartz.scheduler.instanceId = AUTO.
                    store.UseClustering(clustering =>
                    {
                        clustering.CheckinInterval = ClusterCheckinInterval;
                        clustering.CheckinMisfireThreshold = ClusterCheckinMisfireThreshold;
                    });
                }
                else
                {
                    // Not clustered (Quartz refuses SQLite clustering), and so on the fixed instance id
                    // NON_CLUSTERED: a restart recovers only the in-flight jobs recorded under its own
                    // id, which a generated id would never match again.
                    store.UseSqlite(SqliteFactory.Instance, database.ConnectionString);
                }

                store.UseSystemTextJsonSerializer();

                // Quartz creates its tables where they are missing, replicas starting together included.
                store.ProvisionSchema();
            });
        });

        if (runJobs)
        {
            services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        }

        return services;
    }
}
