using JwtPropagation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Tests.Authentication;

/// <summary>
/// Outside Development a service reaches its issuer over https: the keys it trusts, the revocations
/// it enforces and the tokens it sends for exchange must not travel in clear, unless the platform
/// keeps that traffic inside a private network and the setting says so.
/// </summary>
public sealed class IssuerTransportTests
{
    [Theory]
    [InlineData("http://identity.internal/", "https://identity.internal/revocations", "JwtValidation:Authority")]
    [InlineData("https://identity.internal/", "http://identity.internal/revocations", "JwtValidation:RevocationFeed")]
    [InlineData("http+https://identity/", "https+http://identity/revocations", "JwtValidation:Authority")]
    public void Outside_Development_an_issuer_in_clear_stops_the_start_naming_the_setting(string authority, string feed, string setting)
    {
        var errors = Validate(Environments.Production, authority, feed, trustedInternalNetwork: false);

        var error = Assert.Single(errors);
        Assert.StartsWith(setting + " must be https", error, StringComparison.Ordinal);
        Assert.Contains("TrustedInternalNetwork", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", "https://identity.internal/", "https://identity.internal/revocations", false)]
    [InlineData("Production", "https+http://identity/", "https+http://identity/revocations", false)]
    [InlineData("Production", "http://127.0.0.1:5000/", "http://[::1]:5000/revocations", false)]
    [InlineData("Production", "http://identity/", "http://identity/revocations", true)]
    [InlineData("Development", "http://identity/", "http://identity/revocations", false)]
    public void Https_service_discovery_loopback_a_trusted_network_or_Development_start(string environment, string authority, string feed, bool trustedInternalNetwork)
    {
        Assert.Empty(Validate(environment, authority, feed, trustedInternalNetwork));
    }

    private static IEnumerable<string> Validate(string environment, string authority, string feed, bool trustedInternalNetwork)
    {
        var options = new JwtValidationOptions
        {
            Authority = authority,
            RevocationFeed = new Uri(feed),
            TrustedInternalNetwork = trustedInternalNetwork,
        };
        var result = new IssuerTransportValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(Options.DefaultName, options);
        return result.Failures ?? [];
    }

}
