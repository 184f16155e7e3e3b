using Microsoft.Extensions.Options;

namespace IdentityService.Settings;

/// <summary>Rejects settings the service cannot run with, so it fails at start rather than on a request.</summary>
internal sealed class IdentityServerOptionsValidator : IValidateOptions<IdentityServerOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityServerOptions options)
    {
        var result = new ValidateOptionsResultBuilder();

        if (options.Issuer is not { IsAbsoluteUri: true })
        {
            result.AddError("must be an absolute URI.", $"{IdentityServerOptions.SectionName}:{nameof(options.Issuer)}");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            result.AddError("must not be empty.", $"{IdentityServerOptions.SectionName}:{nameof(options.DataDirectory)}");
        }

        if (options.AccessTokenLifetime <= TimeSpan.Zero)
        {
            result.AddError("must be positive.", $"{IdentityServerOptions.SectionName}:{nameof(options.AccessTokenLifetime)}");
        }

        if (options.RevocationFeedKey.Length < JwtValidationOptions.MinimumRevocationFeedKeyLength)
        {
            result.AddError($"must be at least {JwtValidationOptions.MinimumRevocationFeedKeyLength} characters.",
                $"{IdentityServerOptions.SectionName}:{nameof(options.RevocationFeedKey)}");
        }

        if (options.PruningInterval <= TimeSpan.Zero)
        {
            result.AddError("must be positive.", $"{IdentityServerOptions.SectionName}:{nameof(options.PruningInterval)}");
        }

        foreach (var (clientId, client) in options.ServiceClients)
        {
            var path = $"{IdentityServerOptions.SectionName}:{nameof(options.ServiceClients)}:{clientId}";

            if (client.Secret.Length < ServiceClientOptions.MinimumSecretLength)
            {
                result.AddError($"must be at least {ServiceClientOptions.MinimumSecretLength} characters.", $"{path}:{nameof(client.Secret)}");
            }

            if (client.Audiences.Length == 0 || client.Audiences.Any(string.IsNullOrWhiteSpace))
            {
                result.AddError("must list at least one audience, and no empty one.", $"{path}:{nameof(client.Audiences)}");
            }
        }

        return result.Build();
    }
}
