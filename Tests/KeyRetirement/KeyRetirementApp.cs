using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.KeyRetirement;

/// <summary>
/// The app as shipped, but for the services reading the issuer's keys only hourly: a key the issuer
/// retires can then leave their trust only through the revocation feed, never by a scheduled read.
/// Its own app: retiring the key every other test's tokens are signed with would fail them.
/// </summary>
public sealed class KeyRetirementApp : DistributedAppFixture
{
    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var service in new[] { "userservice", "profileservice" })
        {
            builder.CreateResourceBuilder<ProjectResource>(service)
                .WithEnvironment("JwtValidation__IssuerKeysRefreshInterval", TimeSpan.FromHours(1).ToString());
        }
    }
}
