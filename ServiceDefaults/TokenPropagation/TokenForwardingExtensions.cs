using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class TokenForwardingExtensions
{
    /// <summary>
    /// Makes this client send the current flow's access token (<see cref="AccessTokenContext"/>)
    /// with every call. Without a token the call fails (<see cref="MissingAccessTokenException"/>),
    /// unless <see cref="TokenForwardingOptions.RequireToken"/> is turned off; with an expired
    /// one it fails too (<see cref="AccessTokenExpiredException"/>).
    /// </summary>
    public static IHttpClientBuilder AddTokenForwarding(
        this IHttpClientBuilder builder,
        Action<TokenForwardingOptions>? configure = null)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);

        var options = builder.Services.AddOptions<TokenForwardingOptions>(builder.Name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.AddHttpMessageHandler(services => new TokenForwardingHandler(
            builder.Name,
            services.GetRequiredService<IOptionsMonitor<TokenForwardingOptions>>().Get(builder.Name),
            services.GetRequiredService<IOptions<JwtValidationOptions>>().Value.ClockSkew,
            services.GetRequiredService<TimeProvider>()));

        return builder;
    }
}
