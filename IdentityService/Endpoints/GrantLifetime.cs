using System.Security.Claims;
using IdentityService.Settings;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;

namespace IdentityService.Endpoints;

/// <summary>
/// A grant's refresh tokens roll (each use returns a new one) but do not slide forever: they end
/// <see cref="IdentityServerOptions.RefreshTokenAbsoluteLifetime"/> after the grant began, counted
/// from its OpenIddict authorization, which the password, code and refresh grants all share (made
/// with the first refresh token or code, and carried by every token after it).
/// </summary>
internal sealed class GrantLifetime(
    IOpenIddictAuthorizationManager authorizations,
    IOptions<IdentityServerOptions> settings,
    IOptionsMonitor<OpenIddictServerOptions> serverOptions,
    TimeProvider timeProvider)
{
    /// <summary>How long the grant of <paramref name="grant"/> (a code or refresh token) has left; null once it is over, or unknown.</summary>
    public async Task<TimeSpan?> RemainingAsync(ClaimsPrincipal grant, CancellationToken cancellationToken)
    {
        if (grant.GetAuthorizationId() is not { } authorizationId
            || await authorizations.FindByIdAsync(authorizationId, cancellationToken) is not { } authorization
            || await authorizations.GetCreationDateAsync(authorization, cancellationToken) is not { } began)
        {
            return null;
        }

        var remaining = began + settings.Value.RefreshTokenAbsoluteLifetime - timeProvider.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : null;
    }

    /// <summary>The refresh token issued with <paramref name="principal"/> ends by the grant's end, <paramref name="remaining"/> from now.</summary>
    public void CapRefreshToken(ClaimsPrincipal principal, TimeSpan remaining)
    {
        var usual = serverOptions.CurrentValue.RefreshTokenLifetime ?? remaining;
        principal.SetRefreshTokenLifetime(remaining < usual ? remaining : usual);
    }

    /// <summary>For a grant that begins now (the password grant).</summary>
    public void CapRefreshToken(ClaimsPrincipal principal) => CapRefreshToken(principal, settings.Value.RefreshTokenAbsoluteLifetime);
}
