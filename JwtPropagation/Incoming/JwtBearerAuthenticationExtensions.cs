using JwtPropagation;
using JwtPropagation.Incoming;
using JwtPropagation.Telemetry;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds strict bearer-token validation to a service: <see cref="AddJwtBearerAuthentication"/>.</summary>
public static class JwtBearerAuthenticationExtensions
{
    /// <summary>The HttpClient that fetches the issuer's metadata and signing keys.</summary>
    internal const string BackchannelClientName = "jwt-bearer-backchannel";

    /// <summary>
    /// Validates every bearer token this service receives: signature, issuer, this service's
    /// <paramref name="audience"/> (or <c>JwtValidation:Audience</c>, the issuer's name for it),
    /// lifetime, algorithm, token type (<c>at+jwt</c> unless <c>JwtValidation:TokenTypes</c> names
    /// others), and the issuer's revocations where it publishes them; ambiguous or oversized
    /// credentials are turned away unparsed. The issuer is found at <c>JwtValidation:Authority</c>,
    /// through service discovery or at its own URL.
    /// The validated token becomes the request's <see cref="CallerTokenContext.Current"/>, ready to be forwarded.
    /// </summary>
    public static TBuilder AddJwtBearerAuthentication<TBuilder>(this TBuilder builder, string audience)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);

        // Once: a second bearer scheme, health check or request guard would fail or run twice.
        if (builder.Services.Select(service => service.ImplementationInstance).OfType<ValidatedAudience>().SingleOrDefault() is { } added)
        {
            return added.Audience == audience ? builder : throw new InvalidOperationException(
                $"AddJwtBearerAuthentication was called for the audience '{added.Audience}' already, now for '{audience}': a service validates tokens for one audience, its own.");
        }

        builder.Services.AddSingleton(new ValidatedAudience(audience));
        builder.Services.AddOptions<JwtValidationOptions>()
            .BindConfiguration(JwtValidationOptions.SectionName)
            // The issuer's name for this service, where it has another one (JwtValidation:Audience).
            .Configure(options => options.Audience = string.IsNullOrWhiteSpace(options.Audience) ? audience : options.Audience)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<JwtValidationOptions>, IssuerTransportValidator>();
        // The section these settings had before (Authentication) is refused, not silently ignored.
        builder.Services.AddSingleton<IValidateOptions<JwtValidationOptions>, RenamedSectionValidator>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        // It reads the issuer's keys and revocation feed in the background, every second: a log line
        // per read would bury the user's calls. A failed read is logged by its reader.
        // Its budgets are its own (IssuerResilience.Backchannel), in place of any the application gives
        // every client. RemoveAllResilienceHandlers is experimental (EXTEXP0001): the library's own
        // way to replace such a pipeline.
#pragma warning disable EXTEXP0001
        builder.Services.TryAddSingleton<IssuerHeartbeat>();
        var backchannel = builder.Services.AddHttpClient(BackchannelClientName)
            .RemoveAllLoggers()
            .RemoveAllResilienceHandlers();
        backchannel.AddStandardResilienceHandler(IssuerResilience.Backchannel);
        IssuerHeartbeat.RecordOn(backchannel);
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton(IssuerConfigurationManager.Create);
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearerOptions>();
        builder.Services.AddSingleton<VerifiedTokenCache>();
        builder.Services.AddSingleton<TokenValidationEvents>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddHealthChecks()
            .AddCheck<IssuerKeysHealthCheck>(IssuerKeysHealthCheck.Name)
            .AddCheck<RevocationFeedHealthCheck>(RevocationFeedHealthCheck.Name);

        // In front of the app's own middleware: the request's token scope, and the guard.
        builder.Services.AddTransient<IStartupFilter, BearerPipelineStartupFilter>();

        // Tokens revoked since they were issued, read from the issuer's feed in the background.
        builder.Services.AddSingleton<RevocationList>();
        builder.Services.AddHostedService<RevocationFeedPoller>();

        // What became of each token, on spans and in metrics.
        builder.Services.AddOptions<TokenTelemetryOptions>().BindConfiguration(TokenTelemetryOptions.SectionName);
        builder.Services.TryAddSingleton<TokenMetrics>();
        builder.Services.TryAddSingleton<IncomingTokenTelemetry>();

        // RequireTokenScope, answered with insufficient_scope.
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();

        return builder;
    }

    /// <summary>Marks the services as set up for validating tokens of one audience.</summary>
    private sealed record ValidatedAudience(string Audience);
}
