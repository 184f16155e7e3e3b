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
}
