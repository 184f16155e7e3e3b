using IdentityService.Revocation;
using OpenIddict.Server;

namespace IdentityService.Server;

internal static class TokenLifetimes
{
    /// <summary>
    /// The longest any token this server issues may live: past it, every token issued before has
    /// expired, so what only served those tokens (a row, a key) can go.
    /// </summary>
    public static TimeSpan Longest(OpenIddictServerOptions options) =>
        new[]
        {
            options.AccessTokenLifetime, options.AuthorizationCodeLifetime, options.DeviceCodeLifetime,
            options.IdentityTokenLifetime, options.RefreshTokenLifetime, options.UserCodeLifetime,
        }.Max() ?? TimeSpan.Zero;

    /// <summary>
    /// How long a token that others check against the published key set may be presented: access
    /// tokens (at the services) and identity tokens (at clients), plus the services' clock skew. The
    /// issuer's other tokens (codes, refresh tokens) come back only to the issuer.
    /// </summary>
    public static TimeSpan CheckedAgainstKeySet(OpenIddictServerOptions options) =>
        new[] { options.AccessTokenLifetime, options.IdentityTokenLifetime }.Max().GetValueOrDefault() + RevocationFeedLog.ListedPastExpiry;
}
