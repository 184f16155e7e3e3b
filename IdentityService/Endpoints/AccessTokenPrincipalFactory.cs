using System.Collections.Immutable;
using System.Security.Claims;
using IdentityService.Roles;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Endpoints;

/// <summary>Builds what an access token says about its subject, whichever grant issued it.</summary>
internal sealed class AccessTokenPrincipalFactory(
    IOpenIddictScopeManager scopeManager, UserManager<IdentityUser> users, ScopeEntitlements entitlements)
{
    /// <summary>The token's principal for <paramref name="user"/>, or a refusal (invalid_scope) naming a privileged scope the user holds no role for.</summary>
    /// <param name="scopes">
    /// The requested scopes. OpenIddict has already rejected any that is not ours (invalid_scope)
    /// or that the client may not ask for; the user's roles decide the privileged ones here.
    /// </param>
    public async Task<(ClaimsPrincipal? Principal, string? UnentitledScope)> CreateAsync(
        IdentityUser user, ImmutableArray<string> scopes, CancellationToken cancellationToken)
    {
        if (await entitlements.FirstUnentitledAsync(user, scopes) is { } unentitled)
        {
            return (null, unentitled);
        }

        return (await CreateAsync(await users.GetUserIdAsync(user), await users.GetUserNameAsync(user) ?? string.Empty, scopes, cancellationToken), null);
    }

    /// <summary>The token's principal for a client acting as itself: the scopes its registration permits, no role involved.</summary>
    public Task<ClaimsPrincipal> CreateForClientAsync(
        string clientId, string name, ImmutableArray<string> scopes, CancellationToken cancellationToken) =>
        CreateAsync(clientId, name, scopes, cancellationToken);

    /// <summary>What a refusal for <paramref name="scope"/> says.</summary>
    public static string Unentitled(string scope) => $"The user holds no role that grants the scope '{scope}'.";

    private async Task<ClaimsPrincipal> CreateAsync(
        string subject, string name, ImmutableArray<string> scopes, CancellationToken cancellationToken)
    {
        // Each scope names the API it is for (users.read -> userservice): those become the audiences.
        var audiences = await scopeManager.ListResourcesAsync(scopes, cancellationToken).ToListAsync(cancellationToken);

        return Create(subject, name, scopes, audiences);
    }

    /// <param name="scopes">The granted scopes.</param>
    /// <param name="audiences">The APIs the token is for (aud), whatever the scopes.</param>
    public static ClaimsPrincipal Create(
        string subject, string name, ImmutableArray<string> scopes, IEnumerable<string> audiences)
    {
        var identity = new ClaimsIdentity(
            TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

        identity.SetClaim(Claims.Subject, subject)
                .SetClaim(Claims.Name, name);

        identity.SetScopes(scopes);
        identity.SetResources(audiences);

        // Only the access token carries claims: no identity token is issued to these clients.
        identity.SetDestinations(_ => [Destinations.AccessToken]);

        return new ClaimsPrincipal(identity);
    }
}
