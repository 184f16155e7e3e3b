using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.Replicas;

/// <summary>
/// The app with two replicas each of UserService and ProfileService, and four of the issuer, behind
/// the proxies Aspire puts in front of them, which spread the calls over all. The issuer's replicas
/// share one store (the SQLite file in <see cref="DistributedAppFixture.IdentityDataDirectory"/>), as
/// deployed ones share a database, and start on it empty, together: the more of them start at once,
/// the likelier two reach the same start-up write at the same moment. UserService's replicas share
/// a job store in PostgreSQL, as deployed ones do, where a server is configured
/// (<see cref="Store.PostgresServer"/>); without one, they share the SQLite file, which one instance only
/// may run jobs on, and the tests of exports across replicas are skipped.
/// </summary>
public sealed class ReplicasApp : DistributedAppFixture
{
    public const int Replicas = 2;
    public const int IssuerReplicas = 4;

    /// <summary>Exports one user may have queued or running at once here: enough for the replica export test's burst.</summary>
    public const int MaxPendingExportsPerUser = 4;

    protected override bool JobStoreInPostgres => true;

    /// <summary>The running instances of <paramref name="service"/> (userservice-abcdefgh, ...), once all its replicas run.</summary>
    public async Task<IReadOnlyList<string>> InstancesOfAsync(string service, CancellationToken cancellationToken)
    {
        var running = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var change in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (change.Resource.Name == service && change.Snapshot.State?.Text == KnownResourceStates.Running)
            {
                running.Add(change.ResourceId);
                if (running.Count == ReplicasOf(service))
                {
                    break;
                }
            }
        }

        return [.. running];
    }

    /// <summary>Waits until <paramref name="instance"/> is running and answers where it listens itself, behind the proxy, and its process.</summary>
    public async Task<Replica> RunningReplicaAsync(string instance, CancellationToken cancellationToken)
    {
        await foreach (var change in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (change.ResourceId == instance
                && change.Snapshot.State?.Text == KnownResourceStates.Running
                && change.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } launcher
                && int.TryParse(Convert.ToString(launcher, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, out var pid))
            {
                return new Replica(HttpAddressOf(change.Snapshot), pid);
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    // Aspire passes a project's http endpoint in ASPNETCORE_URLS, or as Kestrel's own endpoint setting
    // when the project names its endpoints there (ProfileService, for its gRPC one).
    private static Uri HttpAddressOf(CustomResourceSnapshot snapshot)
    {
        var urls = snapshot.EnvironmentVariables.Single(variable => variable.Name is "ASPNETCORE_URLS" or "Kestrel__Endpoints__http__Url").Value!;
        return new Uri(urls.Split(';')[0]);
    }

    /// <summary>Waits until <paramref name="instance"/> has stopped.</summary>
    public async Task StoppedAsync(string instance, CancellationToken cancellationToken)
    {
        await foreach (var change in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (change.ResourceId == instance && KnownResourceStates.TerminalStates.Contains(change.Snapshot.State?.Text))
            {
                return;
            }
        }
    }

    public static int ReplicasOf(string service) => service == "identity" ? IssuerReplicas : Replicas;

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var service in new[] { "identity", "userservice", "profileservice" })
        {
            builder.CreateResourceBuilder<ProjectResource>(service).WithReplicas(ReplicasOf(service));
        }

        builder.CreateResourceBuilder<ProjectResource>("userservice")
            .WithEnvironment("Exports__MaxPendingPerUser", MaxPendingExportsPerUser.ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>The tests of <see cref="ReplicasApp"/>: one app for them all, each test alone, as they stop and start replicas.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class Replicas : ICollectionFixture<ReplicasApp>;
