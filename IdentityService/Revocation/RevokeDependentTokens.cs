using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityService.Revocation;

/// <summary>
/// Completes an RFC 7009 revocation, once OpenIddict has revoked the token itself: an access
/// token takes every token exchanged from it along; a refresh token takes its whole grant (RFC 7009
/// section 2.1: the access tokens of the same grant should go too).
/// </summary>
internal sealed partial class RevokeDependentTokens(TokenRevoker revoker, ILogger<RevokeDependentTokens> logger)
    : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .UseScopedHandler<RevokeDependentTokens>()
            // OpenIddict stops before this handler when it did not revoke the token.
            .SetOrder(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        var token = context.GenericTokenPrincipal;

        // Not the request's cancellation token: a client going away must not stop a revocation half way.
        if (token.HasTokenType(TokenTypeIdentifiers.AccessToken) && token.GetTokenId() is { Length: > 0 } tokenId)
        {
            var revoked = await revoker.RevokeExchangedFromAsync(tokenId, CancellationToken.None);
            LogExchangedTokensRevoked(tokenId, revoked);
        }
        else if (token.HasTokenType(TokenTypeIdentifiers.RefreshToken) && token.GetAuthorizationId() is { Length: > 0 } authorizationId)
        {
            await revoker.RevokeGrantAsync(authorizationId, CancellationToken.None);
            LogGrantRevoked(authorizationId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked token {TokenId} and {ExchangedTokenCount} tokens exchanged from it")]
    private partial void LogExchangedTokensRevoked(string tokenId, int exchangedTokenCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked a refresh token with its grant {AuthorizationId}")]
    private partial void LogGrantRevoked(string authorizationId);
}
