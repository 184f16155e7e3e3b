using System.Security.Claims;
using IdentityService.Endpoints;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.SignIn;

/// <summary>
/// /connect/authorize (the authorization code flow). OpenIddict has already checked the client, the
/// exact redirect_uri, the response type, PKCE (an S256 code_challenge) and the scopes the client
/// may ask for; here the person is asked to sign in if they have no session, and the code is issued
/// for them. Clients are first-party: no consent screen, but no code without the person either: a
/// silent request (<c>prompt=none</c>) is answered only where they granted this client these scopes
/// before, in a grant still valid.
/// </summary>
internal sealed class AuthorizeEndpoint(
    UserManager<IdentityUser> users,
    AccessTokenPrincipalFactory principals,
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");

        var session = await context.AuthenticateAsync(SignInCookie.Scheme);
        var userId = session.Succeeded ? session.Principal.FindFirstValue(Claims.Subject) : null;
        var user = userId is null ? null : await users.FindByIdAsync(userId);

        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }

            // To the sign-in page, and back here with the same request once signed in.
            IEnumerable<KeyValuePair<string, StringValues>> parameters = context.Request.HasFormContentType ? context.Request.Form : context.Request.Query;
            var returnUrl = context.Request.PathBase + context.Request.Path
                + QueryString.Create(parameters.Where(parameter => parameter.Key != Parameters.Prompt));
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [SignInCookie.Scheme]);
        }

        if (request.HasPromptValue(PromptValues.None) && !await HasGrantedBeforeAsync(user, request, context.RequestAborted))
        {
            return Refuse(Errors.ConsentRequired, "The user has not granted this client these scopes before: ask without prompt=none.");
        }

        var (principal, unentitled) = await principals.CreateAsync(user, request.GetScopes(), context.RequestAborted);
        if (principal is null)
        {
            // Sent back to the client's redirect_uri, as OAuth errors of an authorization request are.
            return Refuse(Errors.InvalidScope, AccessTokenPrincipalFactory.Unentitled(unentitled!));
        }

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>A valid grant (authorization) of this user to this client that covers every scope asked for.</summary>
    private async Task<bool> HasGrantedBeforeAsync(IdentityUser user, OpenIddictRequest request, CancellationToken cancellationToken)
    {
        var client = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken);
        var clientId = client is null ? null : await applications.GetIdAsync(client, cancellationToken);
        if (clientId is null)
        {
            return false;
        }

        var subject = await users.GetUserIdAsync(user);
        await foreach (var _ in authorizations.FindAsync(subject, clientId, Statuses.Valid, type: null, request.GetScopes(), cancellationToken))
        {
            return true;
        }

        return false;
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
