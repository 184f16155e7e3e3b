using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class JwtBearerAuthenticationExtensions
{
    /// <summary>The HttpClient that fetches the issuer's metadata and signing keys.</summary>
    internal const string BackchannelClientName = "jwt-bearer-backchannel";

    /// <summary>
    /// Validates every bearer token this service receives: signature, issuer, this service's
    /// <paramref name="audience"/>, lifetime, algorithm and token type (<c>at+jwt</c>).
    /// The issuer is found at <c>Authentication:Authority</c>, through service discovery.
    /// The validated token becomes the request's <see cref="AccessTokenContext.Current"/>, ready to be forwarded.
    /// </summary>
    public static TBuilder AddJwtBearerAuthentication<TBuilder>(this TBuilder builder, string audience)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);

        builder.Services.AddOptions<JwtValidationOptions>()
            .BindConfiguration(JwtValidationOptions.SectionName)
            .Configure(options => options.Audience = audience)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<TokenTelemetryOptions>().BindConfiguration(TokenTelemetryOptions.SectionName);
        builder.Services.TryAddSingleton<TokenMetrics>();
        builder.Services.AddSingleton<TokenRefusals>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenValidationEvents>();
        builder.Services.AddHttpClient(BackchannelClientName);
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearerOptions>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddTransient<IStartupFilter, BearerPipelineStartupFilter>();

        builder.Services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();

        builder.Services.AddSingleton<RevocationList>();
        builder.Services.AddHostedService<RevocationFeedPoller>();
        builder.Services.AddAuthorization();

        return builder;
    }
}
