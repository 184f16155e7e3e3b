using OpenIddict.Abstractions;

namespace IdentityService.Seeding;

internal sealed class ScopeSeeder(IOpenIddictScopeManager scopeManager)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var (scope, resource) in DevelopmentSeedData.ScopeResources)
        {
            if (await scopeManager.FindByNameAsync(scope, cancellationToken) is null)
            {
                await scopeManager.CreateAsync(
                    new OpenIddictScopeDescriptor { Name = scope, Resources = { resource } }, cancellationToken);
            }
        }
    }
}
