using IdentityService.Data;
using OpenIddict.Abstractions;

namespace IdentityService.Scopes;

internal static class ApiScopeExtensions
{
    /// <summary>Registers the <see cref="ApiScopes"/> that are missing from the store, before the app serves, in one start-up transaction.</summary>
    public static async Task RegisterApiScopesAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var transaction = await services.GetRequiredService<IdentityServiceDbContext>().BeginExclusiveTransactionAsync(StoreLock.Startup, cancellationToken);
        await services.GetRequiredService<IOpenIddictScopeManager>().AddMissingAsync(ApiScopes.Resources, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Creates each scope (name and the API it opens) the store does not have yet.</summary>
    public static async Task AddMissingAsync(
        this IOpenIddictScopeManager scopeManager, IEnumerable<KeyValuePair<string, string>> scopes, CancellationToken cancellationToken)
    {
        foreach (var (name, resource) in scopes)
        {
            if (await scopeManager.FindByNameAsync(name, cancellationToken) is null)
            {
                await scopeManager.CreateAsync(new OpenIddictScopeDescriptor { Name = name, Resources = { resource } }, cancellationToken);
            }
        }
    }
}
