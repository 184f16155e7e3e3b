using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.Revocation;

/// <summary>
/// The app at two edges of revocation: access tokens that live <see cref="AccessTokenLifetime"/>, so
/// a test sees what happens just past a revoked token's <c>exp</c>; and a UserService given a
/// revocation feed key other than the issuer's, a mistake of configuration that must not pass unseen.
/// </summary>
public sealed class RevocationEdgeApp : DistributedAppFixture
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(30);

    /// <summary>UserService runs, but with the wrong key it is not ready by design: not waited for.</summary>
    protected override IReadOnlyList<string> Services => ["identity", "profileservice"];

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("IdentityServer__AccessTokenLifetime", AccessTokenLifetime.ToString());
        builder.CreateResourceBuilder<ProjectResource>("userservice")
            .WithEnvironment("JwtValidation__RevocationFeedKey", "a-key-no-one-gave-the-issuer-0123456789");
    }
}
