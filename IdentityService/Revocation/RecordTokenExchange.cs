using IdentityService.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityService.Revocation;

/// <summary>
/// Links each token issued by token exchange to its subject token, so that revoking the subject
/// token revokes it too. Both ids are only known once OpenIddict has stored the issued token.
/// </summary>
internal sealed class RecordTokenExchange(IdentityServiceDbContext db) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseScopedHandler<RecordTokenExchange>()
            .SetOrder(OpenIddictServerHandlers.GenerateIssuedToken.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        // Only an access token exchanged from an access token: a delegation (a refresh token) is a grant
        // of its own, and the tokens made from one join that grant, so revoking it reaches them.
        if (!context.Request.IsTokenExchangeGrantType()
            || context.Request.SubjectTokenType != TokenTypeIdentifiers.AccessToken
            || context.Request.RequestedTokenType is { } requested && requested != TokenTypeIdentifiers.AccessToken)
        {
            return;
        }

        // The subject token as OpenIddict validated it for this request, its entry id read from the store.
        var subjectTokenId = context.Transaction
            .GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!)?
            .SubjectTokenPrincipal?.GetTokenId();
        var exchangedTokenId = context.IssuedTokenPrincipal?.GetTokenId();

        // A subject token issued before tokens were stored has no entry, so nothing can revoke it by id.
        if (string.IsNullOrEmpty(subjectTokenId) || string.IsNullOrEmpty(exchangedTokenId))
        {
            return;
        }

        db.TokenExchangeLinks.Add(new TokenExchangeLink { ExchangedTokenId = exchangedTokenId, SubjectTokenId = subjectTokenId });

        // Not the request's token: a client going away must not leave the link unwritten.
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
