using IdentityService.Scopes;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Seeding;

internal sealed class ClientSeeder(IOpenIddictApplicationManager applicationManager)
{
    /// <summary>Creates dev-cli, or brings an existing one (from an older seed) to these permissions.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        // A public client (a command line tool keeps no secret): the password grant, refresh tokens
        // (offline_access needs no scope permission, only this grant type's), and revoking its tokens.
        var client = new OpenIddictApplicationDescriptor
        {
            ClientId = DevelopmentSeedData.CliClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "Development command line",
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.Password,
                Permissions.GrantTypes.RefreshToken,
            },
        };
        foreach (var scope in ApiScopes.Resources.Keys)
        {
            client.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        if (await applicationManager.FindByClientIdAsync(DevelopmentSeedData.CliClientId, cancellationToken) is { } existing)
        {
            await applicationManager.UpdateAsync(existing, client, cancellationToken);
        }
        else
        {
            await applicationManager.CreateAsync(client, cancellationToken);
        }
    }
}
