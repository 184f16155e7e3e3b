using JwtPropagation;
using JwtPropagation.Outgoing;
using JwtPropagation.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes an HttpClient carry the caller's token: <c>AddTokenPropagation</c>.</summary>
public static class TokenPropagationExtensions
{
    /// <summary>
    /// Makes this client carry the current flow's access token (<see cref="CallerTokenContext"/>)
    /// to its destination, forwarded or exchanged, with settings bound from
    /// <paramref name="configurationSectionPath"/> (see <see cref="TokenPropagationOptions"/>).
    /// </summary>
    public static IHttpClientBuilder AddTokenPropagation(this IHttpClientBuilder builder, string configurationSectionPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configurationSectionPath);
        return builder.AddTokenPropagation(options => options.BindConfiguration(configurationSectionPath));
    }

    /// <summary>
    /// Makes this client carry the current flow's access token (<see cref="CallerTokenContext"/>)
    /// to its destination, forwarded or exchanged, with settings set in code.
    /// Without a token the call fails (<see cref="MissingCallerTokenException"/>) unless
    /// <see cref="TokenPropagationOptions.RequireToken"/> is off; with an expired one it fails too
    /// (<see cref="CallerTokenExpiredException"/>).
    /// </summary>
    public static IHttpClientBuilder AddTokenPropagation(this IHttpClientBuilder builder, Action<TokenPropagationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddTokenPropagation(options => options.Configure(configure));
    }

    private static IHttpClientBuilder AddTokenPropagation(
        this IHttpClientBuilder builder, Action<OptionsBuilder<TokenPropagationOptions>> configure)
    {
        var name = builder.Name;
        var options = builder.Services.AddOptions<TokenPropagationOptions>(name);
        configure(options);

        // Once per client: settings given again apply (the later win), the handler is not added twice.
        if (builder.Services.Select(service => service.ImplementationInstance).OfType<PropagatingClient>().Any(client => client.Name == name))
        {
            return builder;
        }

        builder.Services.AddSingleton(new PropagatingClient(name));
        options.ValidateDataAnnotations().ValidateOnStart();

        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<TokenPropagationOptions>, TokenPropagationOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<TokenMetrics>();
        builder.Services.AddTokenExchange();

        builder.ConfigureHttpClient((services, client) => client.BaseAddress = Settings(services, name).Destination);
        // First in the chain, so outside the resilience handler that ConfigureHttpClientDefaults adds.
        builder.ConfigureAdditionalHttpMessageHandlers((handlers, services) =>
        {
            var settings = Settings(services, name);
            handlers.Insert(0, new TokenPropagationHandler(
                name,
                settings,
                new TokenDestination(settings.Destination!, settings.TrustedInternalNetwork, services.GetService<ServiceEndpointResolver>()),
                services.GetRequiredService<ExchangedTokenCache>,
                services.GetRequiredService<IOptions<JwtValidationOptions>>().Value.ClockSkew,
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<TokenMetrics>(),
                services.GetRequiredService<ILogger<TokenPropagationHandler>>()));
        });

        return builder;
    }

    private static TokenPropagationOptions Settings(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<TokenPropagationOptions>>().Get(name);

    /// <summary>Marks an HttpClient as carrying tokens already.</summary>
    private sealed record PropagatingClient(string Name);
}
