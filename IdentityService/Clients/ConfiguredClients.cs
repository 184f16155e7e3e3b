using System.Text.Json;
using OpenIddict.Abstractions;

namespace IdentityService.Clients;

/// <summary>
/// Makes the store's clients of one kind match configuration: a configured one is created, or
/// overwritten as a whole (the AppHost generates a new secret per run); one no longer configured
/// is deleted, so it stops working at once. Each kind marks its clients with a property of its
/// own, so no client of another kind (dev-cli) is ever changed or deleted.
/// </summary>
internal sealed class ConfiguredClients(IOpenIddictApplicationManager applicationManager)
{
    public async Task<(int Synchronized, int Deleted)> SynchronizeAsync(
        string kind, IReadOnlyCollection<OpenIddictApplicationDescriptor> configured, CancellationToken cancellationToken)
    {
        foreach (var descriptor in configured)
        {
            descriptor.Properties[kind] = JsonSerializer.SerializeToElement(true);
            var clientId = descriptor.ClientId ?? throw new InvalidOperationException("A configured client has no id.");
            var application = await applicationManager.FindByClientIdAsync(clientId, cancellationToken);

            if (application is null)
            {
                await applicationManager.CreateAsync(descriptor, cancellationToken);
            }
            else if (await IsOfKindAsync(application, kind, cancellationToken))
            {
                await applicationManager.UpdateAsync(application, descriptor, cancellationToken);
            }
            else
            {
                throw new InvalidOperationException($"The {kind} '{clientId}' cannot be configured: another kind of client already has that id.");
            }
        }

        var configuredIds = configured.Select(descriptor => descriptor.ClientId).ToHashSet(StringComparer.Ordinal);
        var deleted = 0;
        foreach (var application in await applicationManager.ListAsync(cancellationToken: cancellationToken).ToListAsync(cancellationToken))
        {
            if (await IsOfKindAsync(application, kind, cancellationToken) &&
                !configuredIds.Contains(await applicationManager.GetClientIdAsync(application, cancellationToken)))
            {
                await applicationManager.DeleteAsync(application, cancellationToken);
                deleted++;
            }
        }

        return (configured.Count, deleted);
    }

    private async Task<bool> IsOfKindAsync(object application, string kind, CancellationToken cancellationToken)
        => (await applicationManager.GetPropertiesAsync(application, cancellationToken)).ContainsKey(kind);
}
