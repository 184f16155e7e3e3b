using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Tests.Integration;

namespace Tests.IssuerKeys;

/// <summary>
/// The app with UserService and ProfileService reading the issuer's metadata and keys through an
/// <see cref="IssuerKeysFront"/> the tests control, every <see cref="RefreshInterval"/>, so a bad
/// answer reaches them within seconds. Tokens are still issued, exchanged and revoked by the real
/// issuer, and the revocation feed is read from it directly.
/// </summary>
public sealed class IssuerKeysApp : DistributedAppFixture
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>The services that validate tokens, and so read the issuer's keys.</summary>
    public static readonly IReadOnlyList<string> Validators = ["userservice", "profileservice"];

    private IssuerKeysFront? _front;
    private EndpointReference? _identity;

    public IssuerKeysFront Front => _front ?? throw new InvalidOperationException("The front has not started.");

    public override async ValueTask InitializeAsync()
    {
        // Before the app: the services are given its address in Configure. The identity service's
        // address is known once the app has allocated it, before the services start and read keys.
        _front = await IssuerKeysFront.StartAsync(() => new Uri((_identity ?? throw new InvalidOperationException("The app has not been built.")).Url));
        await base.InitializeAsync();
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        _identity = builder.CreateResourceBuilder<ProjectResource>("identity").GetEndpoint("http");
        foreach (var service in Validators)
        {
            builder.CreateResourceBuilder<ProjectResource>(service)
                .WithEnvironment("JwtValidation__Authority", Front.AuthorityFor(service).ToString())
                .WithEnvironment("JwtValidation__IssuerKeysRefreshInterval", RefreshInterval.ToString())
                .WithEnvironment("JwtValidation__UnknownKeyRefreshInterval", RefreshInterval.ToString());
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            // After the app: its services read the keys from the front until they stop.
            if (_front is not null)
            {
                await _front.DisposeAsync();
            }
        }
    }
}
