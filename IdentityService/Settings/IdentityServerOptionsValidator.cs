using JwtPropagation;
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

        if (options.RefreshTokenAbsoluteLifetime <= TimeSpan.Zero)
        {
            result.AddError("must be positive.", $"{IdentityServerOptions.SectionName}:{nameof(options.RefreshTokenAbsoluteLifetime)}");
        }

        if (options.RevocationFeedKey.Length < JwtValidationOptions.MinimumRevocationFeedKeyLength)
        {
            result.AddError($"must be at least {JwtValidationOptions.MinimumRevocationFeedKeyLength} characters.",
                $"{IdentityServerOptions.SectionName}:{nameof(options.RevocationFeedKey)}");
        }

        if (options.KeyEncryptionKey.Length < IdentityServerOptions.MinimumKeyEncryptionKeyLength)
        {
            result.AddError($"must be at least {IdentityServerOptions.MinimumKeyEncryptionKeyLength} characters.",
                $"{IdentityServerOptions.SectionName}:{nameof(options.KeyEncryptionKey)}");
        }

        if (options.RevocationFeedTokensPerSubject is < 1 or > 1_000)
        {
            result.AddError("must be from 1 to 1000.", $"{IdentityServerOptions.SectionName}:{nameof(options.RevocationFeedTokensPerSubject)}");
        }

        if (options.PruningInterval <= TimeSpan.Zero)
        {
            result.AddError("must be positive.", $"{IdentityServerOptions.SectionName}:{nameof(options.PruningInterval)}");
        }

        var signingKeys = $"{IdentityServerOptions.SectionName}:{nameof(options.SigningKeys)}";
        if (options.SigningKeys.PublishLead < TimeSpan.Zero || options.SigningKeys.PublishLead >= options.SigningKeys.RotationPeriod)
        {
            result.AddError($"must be at least zero and shorter than {nameof(SigningKeyOptions.RotationPeriod)}.",
                $"{signingKeys}:{nameof(SigningKeyOptions.PublishLead)}");
        }

        if (options.SigningKeys.ReloadInterval <= TimeSpan.Zero)
        {
            result.AddError("must be positive.", $"{signingKeys}:{nameof(SigningKeyOptions.ReloadInterval)}");
        }

        var rateLimits = $"{IdentityServerOptions.SectionName}:{nameof(options.RateLimits)}";
        foreach (var (allowance, limit) in new[] { (nameof(RateLimitOptions.PerAddress), options.RateLimits.PerAddress), (nameof(RateLimitOptions.PerClient), options.RateLimits.PerClient) })
        {
            if (limit.Burst is < 1 or > RateLimit.Maximum || limit.PerSecond is < 1 or > RateLimit.Maximum)
            {
                result.AddError($"{nameof(RateLimit.Burst)} and {nameof(RateLimit.PerSecond)} must be from 1 to {RateLimit.Maximum}.", $"{rateLimits}:{allowance}");
            }
        }

        var signInThrottle = $"{IdentityServerOptions.SectionName}:{nameof(options.SignInThrottle)}";
        if (options.SignInThrottle.FailuresAllowed is < 1 or > SignInThrottleOptions.MaximumFailures)
        {
            result.AddError($"must be from 1 to {SignInThrottleOptions.MaximumFailures}.", $"{signInThrottle}:{nameof(SignInThrottleOptions.FailuresAllowed)}");
        }

        if (options.SignInThrottle.OneMoreAfter <= TimeSpan.Zero || options.SignInThrottle.OneMoreAfter > TimeSpan.FromDays(1))
        {
            result.AddError("must be positive and at most a day.", $"{signInThrottle}:{nameof(SignInThrottleOptions.OneMoreAfter)}");
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

            if (client.MaxDelegation < TimeSpan.Zero || client.MaxDelegation > options.RefreshTokenAbsoluteLifetime)
            {
                result.AddError(
                    $"must be zero (no delegation) or positive, and at most {nameof(options.RefreshTokenAbsoluteLifetime)}.",
                    $"{path}:{nameof(client.MaxDelegation)}");
            }
        }

        foreach (var (clientId, client) in options.PublicClients)
        {
            var path = $"{IdentityServerOptions.SectionName}:{nameof(options.PublicClients)}:{clientId}";

            if (client.RedirectUris.Length == 0 || !client.RedirectUris.All(IsExactRedirectUri))
            {
                result.AddError(RedirectUriRule, $"{path}:{nameof(client.RedirectUris)}");
            }

            if (!client.PostLogoutRedirectUris.All(IsExactRedirectUri))
            {
                result.AddError(RedirectUriRule, $"{path}:{nameof(client.PostLogoutRedirectUris)}");
            }

            if (client.Scopes.Length == 0 || client.Scopes.Any(string.IsNullOrWhiteSpace))
            {
                result.AddError("must list at least one scope, and no empty one.", $"{path}:{nameof(client.Scopes)}");
            }
        }

        return result.Build();
    }

    private const string RedirectUriRule =
        "must list absolute URIs (redirects: at least one), with no wildcard and no fragment, each https, http on loopback only, or an app's own scheme (com.example.app:/callback).";

    /// <summary>
    /// RFC 9700: redirect URIs are compared exactly, since a pattern would let a code go somewhere
    /// unplanned; and a code never crosses a network in clear: https, or http to this machine's
    /// loopback (a local tool's listener, RFC 8252 7.3), or a native app's private-use scheme (7.1).
    /// </summary>
    private static bool IsExactRedirectUri(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
        && !uri.Contains('*', StringComparison.Ordinal)
        && parsed.Fragment.Length == 0
        && (parsed.Scheme == Uri.UriSchemeHttps
            || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback)
            || parsed.Scheme.Contains('.', StringComparison.Ordinal));
}
