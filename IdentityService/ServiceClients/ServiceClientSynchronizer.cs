using System.Text.Json;
using IdentityService.Settings;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.ServiceClients;

/// <summary>
/// Makes the store's service clients match configuration: a configured one is created, or
/// overwritten as a whole (the AppHost generates a new secret per run); one no longer configured
/// is deleted, so it stops working at once.
/// </summary>
internal sealed class ServiceClientSynchronizer(
    IOptions<IdentityServerOptions> settings,
    IOpenIddictApplicationManager applicationManager,
    IOpenIddictScopeManager scopeManager)
{
    // Marks the applications created here, so that no other application (dev-cli) is ever changed or deleted.
    private const string ServiceClientProperty = "service_client";

    public async Task<(int Synchronized, int Deleted)> SynchronizeAsync(CancellationToken cancellationToken)
    {
        var configured = settings.Value.ServiceClients;

        foreach (var (clientId, client) in configured)
        {
            var descriptor = await CreateDescriptorAsync(clientId, client, cancellationToken);
            var application = await applicationManager.FindByClientIdAsync(clientId, cancellationToken);

            if (application is null)
            {
                await applicationManager.CreateAsync(descriptor, cancellationToken);
            }
            else if (await IsServiceClientAsync(application, cancellationToken))
            {
                await applicationManager.UpdateAsync(application, descriptor, cancellationToken);
            }
            else
            {
                throw new InvalidOperationException(
                    $"The service client '{clientId}' cannot be configured: another kind of client already has that id.");
            }
        }

        var deleted = 0;
        foreach (var application in await applicationManager.ListAsync(cancellationToken: cancellationToken).ToListAsync(cancellationToken))
        {
            if (await IsServiceClientAsync(application, cancellationToken) &&
                !configured.ContainsKey(await applicationManager.GetClientIdAsync(application, cancellationToken) ?? string.Empty))
            {
                await applicationManager.DeleteAsync(application, cancellationToken);
                deleted++;
            }
        }

        return (configured.Count, deleted);
    }

    private async Task<OpenIddictApplicationDescriptor> CreateDescriptorAsync(
        string clientId, ServiceClientOptions client, CancellationToken cancellationToken)
    {
        // Token exchange only: such a client never gets a token of its own (no password or client credentials grant).
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = client.Secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = clientId,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.TokenExchange },
            Properties = { [ServiceClientProperty] = JsonSerializer.SerializeToElement(true) },
        };

        // OpenIddict rejects a requested audience, or scope, that the client holds no permission for.
        // The scopes permitted are those of its audiences (profiles.read for profileservice), as stored now.
        foreach (var audience in client.Audiences)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Audience + audience);

            await foreach (var scope in scopeManager.FindByResourceAsync(audience, cancellationToken))
            {
                descriptor.Permissions.Add(Permissions.Prefixes.Scope + await scopeManager.GetNameAsync(scope, cancellationToken));
            }
        }

        return descriptor;
    }

    private async Task<bool> IsServiceClientAsync(object application, CancellationToken cancellationToken)
        => (await applicationManager.GetPropertiesAsync(application, cancellationToken)).ContainsKey(ServiceClientProperty);
}
