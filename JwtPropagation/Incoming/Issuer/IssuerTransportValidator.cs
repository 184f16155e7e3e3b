using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JwtPropagation.Incoming;

/// <summary>Refuses to start, outside Development, with an authority or revocation feed in clear (<see cref="IssuerTransport"/>).</summary>
internal sealed class IssuerTransportValidator(IHostEnvironment environment) : IValidateOptions<JwtValidationOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtValidationOptions options)
    {
        if (!IssuerTransport.RequiresHttps(environment, options))
        {
            return ValidateOptionsResult.Success;
        }

        var builder = new ValidateOptionsResultBuilder();
        if (Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) && !IssuerTransport.IsSecure(authority))
        {
            builder.AddError(IssuerTransport.Refusal($"{JwtValidationOptions.SectionName}:{nameof(JwtValidationOptions.Authority)}"));
        }

        if (options.RevocationFeed is { } feed && !IssuerTransport.IsSecure(feed))
        {
            builder.AddError(IssuerTransport.Refusal($"{JwtValidationOptions.SectionName}:{nameof(JwtValidationOptions.RevocationFeed)}"));
        }

        return builder.Build();
    }
}
