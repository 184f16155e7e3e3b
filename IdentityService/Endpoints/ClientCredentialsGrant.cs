using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;

namespace IdentityService.Endpoints;

/// <summary>grant_type=client_credentials: a confidential client acting as itself (sub = its client id).</summary>
internal sealed class ClientCredentialsGrant(
    IOpenIddictApplicationManager applicationManager,
    AccessTokenPrincipalFactory principalFactory)
{
    public async Task<IResult> HandleAsync(OpenIddictRequest request, CancellationToken cancellationToken)
    {
        // OpenIddict has authenticated the client (id and secret) before passing the request through.
        var clientId = request.ClientId ?? throw new InvalidOperationException("The authenticated client has no client_id.");
        var application = await applicationManager.FindByClientIdAsync(clientId, cancellationToken)
            ?? throw new InvalidOperationException($"The client '{clientId}' is no longer registered.");

        var principal = await principalFactory.CreateForClientAsync(
            clientId,
            await applicationManager.GetDisplayNameAsync(application, cancellationToken) ?? clientId,
            request.GetScopes(),
            cancellationToken);

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
