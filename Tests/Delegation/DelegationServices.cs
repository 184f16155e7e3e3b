using JwtPropagation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Tests.Delegation;

/// <summary>
/// A service's token delegation (<c>AddTokenDelegation</c>) as an application wires it, with this
/// service's issuer credentials in the <c>TokenExchange</c> section, against a stand-in issuer;
/// optionally with clients that carry tokens to a stand-in destination.
/// </summary>
internal static class DelegationServices
{
    public const string ClientId = "userservice";
    public const string ClientSecret = "userservice-secret";
    public const string Audience = "profileservice";
    public const string ExchangingClient = "profiles-exchanging";
    public const string ForwardingClient = "profiles-forwarding";

    public static readonly Uri TokenEndpoint = new("https://issuer.test/connect/token");
    public static readonly Uri RevocationEndpoint = new("https://issuer.test/connect/revoke");
    public static readonly Uri Destination = new("https://profiles.test");

    /// <param name="dataProtection">The application's Data Protection; ephemeral keys of its own when null.</param>
    /// <param name="destination">Where the token-carrying clients send; without it, there are none.</param>
    public static ServiceProvider Create(
        StandInServer issuer, FakeTimeProvider time, IDataProtectionProvider? dataProtection = null, StandInServer? destination = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenExchange:ClientId"] = ClientId,
            ["TokenExchange:ClientSecret"] = ClientSecret,
            ["TokenExchange:TokenEndpoint"] = TokenEndpoint.ToString(),
            ["TokenExchange:RevocationEndpoint"] = RevocationEndpoint.ToString(),
        }).Build());

        // Registered first, so AddDataProtection keeps it (and writes no keys anywhere).
        services.AddSingleton(dataProtection ?? new EphemeralDataProtectionProvider());
        services.AddTokenDelegation();
        services.AddHttpClient(TokenExchangeClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => issuer);

        if (destination is not null)
        {
            services.AddHttpClient(ExchangingClient)
                .AddTokenPropagation(options =>
                {
                    options.Destination = Destination;
                    options.Mode = TokenPropagationMode.Exchange;
                    options.Audience = Audience;
                })
                .ConfigurePrimaryHttpMessageHandler(() => destination);
            services.AddHttpClient(ForwardingClient)
                .AddTokenPropagation(options => options.Destination = Destination)
                .ConfigurePrimaryHttpMessageHandler(() => destination);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>A delegation as the issuer would have given it, every field set.</summary>
    public static JwtPropagation.Delegation Sample(FakeTimeProvider time, string value = "delegation-of-alice-for-job-7") =>
        new(value, subject: "alice", Audience, scope: "profiles.read", jobId: "job-7", expiresAt: time.GetUtcNow().AddHours(24));
}
