using IdentityService.Clients;
using IdentityService.Settings;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.ServiceClients;

/// <summary>The configured service clients (token exchange), in the store (<see cref="ConfiguredClients"/>).</summary>
internal sealed class ServiceClientSynchronizer(
    IOptions<IdentityServerOptions> settings,
    ConfiguredClients clients,
    IOpenIddictScopeManager scopeManager)
{
    public async Task<(int Synchronized, int Deleted)> SynchronizeAsync(CancellationToken cancellationToken)
    {
        var descriptors = new List<OpenIddictApplicationDescriptor>();
        foreach (var (clientId, client) in settings.Value.ServiceClients)
        {
            descriptors.Add(await CreateDescriptorAsync(clientId, client, cancellationToken));
        }

        return await clients.SynchronizeAsync("service_client", descriptors, cancellationToken);
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
        };

        // A client that obtains delegations withdraws them itself when its work ends or its user asks (RFC 7009).
        if (client.MaxDelegation > TimeSpan.Zero)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
        }

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
}
