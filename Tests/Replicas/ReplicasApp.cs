using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.Replicas;

/// <summary>
/// The app with two replicas each of UserService and ProfileService, behind the proxies Aspire
/// puts in front of them, which spread the calls over both.
/// </summary>
public sealed class ReplicasApp : DistributedAppFixture
{
    public const int Replicas = 2;

    /// <summary>The running instances of <paramref name="service"/> (userservice-abcdefgh, ...), once there are <see cref="Replicas"/>.</summary>
    public async Task<IReadOnlyList<string>> InstancesOfAsync(string service, CancellationToken cancellationToken)
    {
        var running = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var change in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (change.Resource.Name == service && change.Snapshot.State?.Text == KnownResourceStates.Running)
            {
                running.Add(change.ResourceId);
                if (running.Count == Replicas)
                {
                    break;
                }
            }
        }

        return [.. running];
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var service in new[] { "userservice", "profileservice" })
        {
            builder.CreateResourceBuilder<ProjectResource>(service).WithReplicas(Replicas);
        }
    }
}
