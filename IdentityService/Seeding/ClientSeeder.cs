using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Seeding;

internal sealed class ClientSeeder(IOpenIddictApplicationManager applicationManager)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await applicationManager.FindByClientIdAsync(DevelopmentSeedData.CliClientId, cancellationToken) is not null)
        {
            return;
        }

        // A public client (a command line tool keeps no secret) that may only use the password grant.
        var client = new OpenIddictApplicationDescriptor
        {
            ClientId = DevelopmentSeedData.CliClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "Development command line",
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.Password },
        };
        foreach (var scope in DevelopmentSeedData.ScopeResources.Keys)
        {
            client.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        await applicationManager.CreateAsync(client, cancellationToken);
    }
}
