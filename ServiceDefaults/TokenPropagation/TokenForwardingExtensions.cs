using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class TokenForwardingExtensions
{
    /// <summary>
    /// Makes this client send the current request's validated access token with every call.
    /// Without a current token the call fails (<see cref="MissingAccessTokenException"/>),
    /// unless <see cref="TokenForwardingOptions.RequireToken"/> is turned off.
    /// </summary>
    public static IHttpClientBuilder AddTokenForwarding(
        this IHttpClientBuilder builder,
        Action<TokenForwardingOptions>? configure = null)
    {
        builder.Services.AddHttpContextAccessor();

        var options = builder.Services.AddOptions<TokenForwardingOptions>(builder.Name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.AddHttpMessageHandler(services => new TokenForwardingHandler(
            services.GetRequiredService<IHttpContextAccessor>(),
            builder.Name,
            services.GetRequiredService<IOptionsMonitor<TokenForwardingOptions>>().Get(builder.Name)));

        return builder;
    }
}
