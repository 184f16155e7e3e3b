using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

internal static class TokenExchangeExtensions
{
    /// <summary>What exchanging clients share: this service's issuer credentials, the exchange client, the cache.</summary>
    public static IServiceCollection AddTokenExchange(this IServiceCollection services)
    {
        services.AddOptions<TokenExchangeOptions>()
            .BindConfiguration(TokenExchangeOptions.SectionName)
            .ValidateDataAnnotations();

        services.AddHttpClient(TokenExchangeClient.HttpClientName);
        services.TryAddSingleton<TokenMetrics>();
        services.TryAddSingleton<TokenExchangeClient>();
        services.TryAddSingleton<ExchangedTokenCache>();

        return services;
    }
}
