using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.KeyRotation;

/// <summary>
/// The app with its signing keys on a short clock: a key rotates every <see cref="RotationPeriod"/>,
/// a rotation signs at once (no publish lead, so the services meet kids they have not seen), and
/// the services read the issuer's keys every two seconds, so a retired key leaves them quickly.
/// </summary>
public sealed class KeyRotationApp : DistributedAppFixture
{
    public static readonly TimeSpan RotationPeriod = TimeSpan.FromSeconds(20);

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("IdentityServer__SigningKeys__RotationPeriod", RotationPeriod.ToString())
            .WithEnvironment("IdentityServer__SigningKeys__PublishLead", TimeSpan.Zero.ToString())
            .WithEnvironment("IdentityServer__SigningKeys__ReloadInterval", TimeSpan.FromSeconds(1).ToString());

        foreach (var service in new[] { "userservice", "profileservice" })
        {
            builder.CreateResourceBuilder<ProjectResource>(service)
                .WithEnvironment("JwtValidation__IssuerKeysRefreshInterval", TimeSpan.FromSeconds(2).ToString())
                .WithEnvironment("JwtValidation__UnknownKeyRefreshInterval", TimeSpan.FromSeconds(1).ToString());
        }
    }
}
