using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityService.Revocation;

/// <summary>
/// Makes an access token's <c>jti</c> its OpenIddict token entry id, instead of a random value
/// recorded nowhere. The revocation feed then lists revoked tokens straight from the store,
/// including those OpenIddict revokes itself (the family of a reused refresh token).
/// </summary>
internal sealed class UseTokenEntryIdAsJti : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<UseTokenEntryIdAsJti>()
            // After OpenIddict has written the token's claims (a random jti among them), before it signs them.
            .SetOrder(OpenIddictServerHandlers.Protection.AttachTokenMetadata.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        // The entry id is a random GUID as well, so the jti still reveals nothing. Access tokens
        // issued by token exchange pass here too.
        if (context.TokenType == TokenTypeIdentifiers.AccessToken && context.Principal.GetTokenId() is { Length: > 0 } tokenId)
        {
            context.SecurityTokenDescriptor.Claims[Claims.JwtId] = tokenId;
        }

        return ValueTask.CompletedTask;
    }
}
