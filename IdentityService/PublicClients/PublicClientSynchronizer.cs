using IdentityService.Clients;
using IdentityService.Settings;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.PublicClients;

/// <summary>The configured public clients (people sign in through them), in the store (<see cref="ConfiguredClients"/>).</summary>
internal sealed class PublicClientSynchronizer(IOptions<IdentityServerOptions> settings, ConfiguredClients clients)
{
    public Task<(int Synchronized, int Deleted)> SynchronizeAsync(CancellationToken cancellationToken) =>
        clients.SynchronizeAsync(
            "public_client",
            [.. settings.Value.PublicClients.Select(client => CreateDescriptor(client.Key, client.Value))],
            cancellationToken);

    private static OpenIddictApplicationDescriptor CreateDescriptor(string clientId, PublicClientOptions client)
    {
        // The code flow with PKCE, refresh tokens (offline_access needs only this grant type), sign-out
        // and revoking its own tokens; first-party, so the person is not asked to consent.
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = clientId,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };

        foreach (var scope in client.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        foreach (var uri in client.RedirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri));
        }

        foreach (var uri in client.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri));
        }

        return descriptor;
    }
}
