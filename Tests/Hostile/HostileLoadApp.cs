using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.Hostile;

/// <summary>
/// The app as it ships, for the attacks: the issuer's rate limits as they are, but one service
/// client's allowance small (a flood of it is then cheap to make), and a revocation list counted
/// stale after 5 s rather than 30, with ProfileService refusing tokens then (fail closed).
/// </summary>
public sealed class HostileLoadApp : DistributedAppFixture
{
    public const int ClientBurst = 20;
    public static readonly TimeSpan RevocationFeedMaxAge = TimeSpan.FromSeconds(5);

    protected override bool HasShippedRateLimits => true;

    /// <summary>Where the one instance of <paramref name="service"/> listens itself, behind Aspire's proxy.</summary>
    public async Task<Uri> InstanceAddressAsync(string service, CancellationToken cancellationToken)
    {
        await foreach (var change in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (change.Resource.Name == service
                && change.Snapshot.State?.Text == KnownResourceStates.Running
                && change.Snapshot.EnvironmentVariables.FirstOrDefault(variable => variable.Name == "ASPNETCORE_URLS")?.Value is { } urls)
            {
                return new Uri(urls.Split(';')[0]);
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("IdentityServer__RateLimits__PerClient__Burst", ClientBurst.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("IdentityServer__RateLimits__PerClient__PerSecond", ClientBurst.ToString(CultureInfo.InvariantCulture));

        foreach (var service in new[] { "userservice", "profileservice" })
        {
            builder.CreateResourceBuilder<ProjectResource>(service)
                .WithEnvironment("JwtValidation__RevocationFeedMaxAge", RevocationFeedMaxAge.ToString());
        }

        builder.CreateResourceBuilder<ProjectResource>("profileservice")
            .WithEnvironment("JwtValidation__RevocationFeedFailClosed", "true");
    }
}
