using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JwtPropagation.Incoming;

/// <summary>Turns <see cref="JwtValidationOptions"/> into strict JwtBearer settings.</summary>
internal sealed class ConfigureJwtBearerOptions(
    IOptions<JwtValidationOptions> validationOptions,
    VerifiedTokenCache verifiedTokens,
    RevocationList revocations,
    IssuerConfigurationManager issuer,
    IHostEnvironment environment) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        var settings = validationOptions.Value;

        options.Authority = settings.Authority;
        options.Audience = settings.Audience;
        options.ConfigurationManager = issuer;

        // Claims keep their JWT names (sub, scope, act) instead of the legacy SOAP-era URIs; only the
        // scopes are read from the claim the issuer puts them in (ScopeClaimMapping).
        options.MapInboundClaims = false;
        options.SaveToken = false;
        options.IncludeErrorDetails = environment.IsDevelopment();

        var parameters = options.TokenValidationParameters;
        parameters.ValidateIssuer = true;
        if (!string.IsNullOrEmpty(settings.Issuer))
        {
            parameters.ValidIssuer = settings.Issuer;
        }
        parameters.ValidateAudience = true;
        parameters.ValidAudience = settings.Audience;
        parameters.ValidateLifetime = true;
        parameters.RequireExpirationTime = true;
        parameters.ClockSkew = settings.ClockSkew;
        parameters.RequireSignedTokens = true;
        parameters.ValidateIssuerSigningKey = true;
        parameters.ValidAlgorithms = settings.ValidAlgorithms is { Length: > 0 } algorithms ? algorithms : [JwtValidationOptions.DefaultAlgorithm];
        parameters.ValidTypes = settings.TokenTypes is { Length: > 0 } types
            ? types
            : [JwtValidationOptions.DefaultTokenType, JwtValidationOptions.DefaultTokenMediaType];
        parameters.NameClaimType = JwtRegisteredClaimNames.Sub;
        parameters.RoleClaimType = "role";

        // A failed token's header, to tell one signed by a key the issuer retired (VerifiedTokenHandler).
        parameters.IncludeTokenOnFailedValidation = true;

        // Each token is verified once, then served from the cache until it expires. Nothing larger
        // than MaxTokenSize is parsed (the BearerRequestGuard already turns such headers away).
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new VerifiedTokenHandler(
            new JsonWebTokenHandler { MapInboundClaims = false, MaximumTokenSizeInBytes = settings.MaxTokenSize },
            verifiedTokens,
            settings.ScopeClaim,
            revocations));

        options.EventsType = typeof(TokenValidationEvents);
    }

    public void Configure(JwtBearerOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
}
