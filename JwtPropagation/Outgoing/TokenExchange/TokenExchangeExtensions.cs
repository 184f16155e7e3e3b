using JwtPropagation.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JwtPropagation.Outgoing;

internal static class TokenExchangeExtensions
{
    /// <summary>What exchanging clients share: this service's issuer credentials, the exchange client, the cache.</summary>
    public static IServiceCollection AddTokenExchange(this IServiceCollection services)
    {
        services.AddOptions<TokenExchangeOptions>()
            .BindConfiguration(TokenExchangeOptions.SectionName)
            .ValidateDataAnnotations();

        // An exchange is made once per caller's token and destination, then cached: under a burst
        // on a freshly started issuer it may take seconds, and that beats refusing the caller. So
        // the issuer gets more time than the calls an exchange precedes, while one that answers
        // nothing is given up on in seconds (IssuerLiveness): a pipeline of its own, in
        // place of any the application gives every client (ConfigureHttpClientDefaults).
        // RemoveAllResilienceHandlers is marked experimental (EXTEXP0001); it is the library's own
        // way to replace such a pipeline.
#pragma warning disable EXTEXP0001
        var exchange = services.AddHttpClient(TokenExchangeClient.HttpClientName).RemoveAllResilienceHandlers();
        exchange.AddStandardResilienceHandler(IssuerResilience.TokenEndpoint);
        IssuerHeartbeat.RecordOn(exchange);

        // The probe that tells a gone issuer from a busy one: one attempt, its own connections.
        services.AddHttpClient(IssuerLiveness.HttpClientName)
            .RemoveAllResilienceHandlers()
            .RemoveAllLoggers();
#pragma warning restore EXTEXP0001
        services.TryAddSingleton<TokenMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IssuerHeartbeat>();
        services.TryAddSingleton<IssuerLiveness>();
        services.TryAddSingleton<TokenExchangeClient>();
        services.TryAddSingleton<ExchangedTokenCache>();

        return services;
    }
}
