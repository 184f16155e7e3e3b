using System.Collections.Immutable;
using System.Security.Claims;
using IdentityService.Revocation;
using IdentityService.Scopes;
using IdentityService.Settings;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Endpoints;

/// <summary>
/// grant_type=urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693): a service client trades a
/// user's access token it was sent for one addressed to the next service, on the same user's behalf.
/// For work that outlives the request, it trades it for a delegation instead (<see cref="Delegation"/>),
/// and later trades that delegation for access tokens, for as long as the delegation lives.
/// </summary>
/// <remarks>
/// OpenIddict has already authenticated the client, checked its permissions for this grant, the
/// audience and the scopes, and validated the subject token: an access token (typ at+jwt) signed
/// by this server's key, or a refresh token it issued and encrypted to itself, issued to this client;
/// with this issuer, not expired, and its stored entry (if any) and grant not revoked.
/// The checks here are this server's policy.
/// </remarks>
internal sealed class TokenExchangeGrant(
    IOptionsMonitor<OpenIddictServerOptions> serverOptions,
    IOptions<IdentityServerOptions> settings,
    SubjectRevocations subjectRevocations)
{
    public async Task<IResult> HandleAsync(HttpContext context, OpenIddictRequest request, CancellationToken cancellationToken)
    {
        var clientId = request.ClientId ?? throw new InvalidOperationException("The authenticated client has no client_id.");

        // The subject token as OpenIddict validated it; authenticating again does not re-validate it.
        var subjectToken = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
            ?? throw new InvalidOperationException("The validated subject token cannot be retrieved.");
        var fromDelegation = request.SubjectTokenType == TokenTypeIdentifiers.RefreshToken;

        // OpenIddict also accepts a token whose client_id (presenter) is this client, such as one it
        // obtained itself and sent on: here a client may exchange only a token addressed to it (aud),
        // or a delegation (OpenIddict has checked it was issued to this client).
        if (fromDelegation ? !Delegation.Is(subjectToken) : !subjectToken.HasAudience(clientId))
        {
            return TokenError.Create(Errors.InvalidGrant, fromDelegation
                ? "The subject token is not a delegation."
                : "The subject token is not addressed to this client.");
        }

        // OpenIddict has checked that the client may ask for each audience (aud: permissions). One per
        // token: a token for several APIs could be replayed by each of them to the others.
        if (request.GetAudiences() is not [var audience])
        {
            return TokenError.Create(Errors.InvalidTarget, "Exactly one audience must be requested.");
        }

        // A delegation is for the audience it names, nothing else.
        if (fromDelegation && !subjectToken.GetResources().Contains(audience, StringComparer.Ordinal))
        {
            return TokenError.Create(Errors.InvalidTarget, $"The delegation is not for '{audience}'.");
        }

        // Scopes never widen: what is asked (by default, all the subject token has) must be in the
        // subject token, and only those of the target audience are kept.
        var subjectScopes = subjectToken.GetScopes();
        var requestedScopes = request.GetScopes();
        if (requestedScopes.Except(subjectScopes, StringComparer.Ordinal).Any())
        {
            return TokenError.Create(Errors.InvalidScope, "A requested scope is not granted by the subject token.");
        }

        // From memory, not the store: the scopes are this build's (the store is filled from them at start).
        var audienceScopes = ApiScopes.Of(audience).ToHashSet(StringComparer.Ordinal);
        var grantedScopes = (requestedScopes.IsEmpty ? subjectScopes : requestedScopes).Where(audienceScopes.Contains).ToImmutableArray();

        // A token that grants nothing at its audience would still pass there wherever only the
        // audience is checked: the user never granted that service anything, so none is issued.
        if (grantedScopes.IsEmpty)
        {
            return TokenError.Create(Errors.InvalidScope, $"The subject token grants no scope of '{audience}'.");
        }

        // OpenIddict refuses a revoked subject token by its stored entry. A token of a revoked subject
        // may have no entry (issued before tokens were stored) or one written while the subject was
        // being revoked: its issue time tells.
        var subject = subjectToken.GetClaim(Claims.Subject) ?? throw new InvalidOperationException("The subject token has no subject.");
        if (await subjectRevocations.IsRevokedAsync(subject, subjectToken.GetCreationDate(), cancellationToken))
        {
            return TokenError.Create(Errors.InvalidGrant, "The subject token has been revoked.");
        }

        var principal = AccessTokenPrincipalFactory.Create(subject, subjectToken.GetClaim(Claims.Name) ?? string.Empty, grantedScopes, [audience]);
        var identity = (ClaimsIdentity)principal.Identity!;

        if (request.RequestedTokenType == TokenTypeIdentifiers.RefreshToken)
        {
            return fromDelegation
                ? TokenError.Create(Errors.InvalidRequest, "A delegation cannot be delegated again.")
                : Delegate(request, clientId, subjectToken, principal);
        }

        // A token from a delegation keeps its actor chain (this client's is already outermost) and names the job.
        identity.AddClaim(fromDelegation ? Delegation.ActorOf(subjectToken) : ActorClaim.Create(clientId, subjectToken));
        if (fromDelegation)
        {
            identity.AddClaim(Delegation.JobOf(subjectToken));
        }

        // Never outlives the subject token. The lifetime is kept in whole seconds, rounded down, so the
        // issued exp cannot pass the subject token's.
        var options = serverOptions.CurrentValue;
        var subjectExpiry = subjectToken.GetExpirationDate() ?? throw new InvalidOperationException("The subject token has no expiry.");
        var remaining = subjectExpiry - options.TimeProvider.GetUtcNow();
        var lifetime = options.AccessTokenLifetime < remaining ? options.AccessTokenLifetime.Value : remaining;
        if (lifetime < TimeSpan.FromSeconds(1))
        {
            return TokenError.Create(Errors.InvalidGrant, "The subject token expires too soon to be exchanged.");
        }

        principal.SetAccessTokenLifetime(lifetime);

        // The issued token joins the subject token's grant (authorization), if it has one: revoking
        // the grant, as a reused refresh token or a withdrawn delegation does, revokes it as well.
        principal.SetAuthorizationId(subjectToken.GetAuthorizationId());

        // OpenIddict issues it as the exchange's issued token: access_token, issued_token_type, client_id = this client.
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// A delegation for one job: the same user, audience and scopes as an exchanged token would have,
    /// living up to the client's <see cref="ServiceClientOptions.MaxDelegation"/> whatever the
    /// subject token's expiry. OpenIddict makes it a grant of its own (an ad-hoc authorization), so
    /// that signing out or revoking the user's token does not end it; revoking the user does.
    /// </summary>
    private IResult Delegate(OpenIddictRequest request, string clientId, ClaimsPrincipal subjectToken, ClaimsPrincipal principal)
    {
        var maxDelegation = settings.Value.ServiceClients.GetValueOrDefault(clientId)?.MaxDelegation ?? TimeSpan.Zero;
        if (maxDelegation <= TimeSpan.Zero)
        {
            return TokenError.Create(Errors.UnauthorizedClient, "This client may not obtain a delegation.");
        }

        if (Delegation.JobIdOf(request) is not { } jobId)
        {
            return TokenError.Create(Errors.InvalidRequest, $"A delegation names its job: '{Delegation.JobIdParameter}', 1 to {Delegation.MaxJobIdLength} characters.");
        }

        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(ActorClaim.Create(clientId, subjectToken));
        identity.AddClaim(Delegation.CreateJobClaim(jobId));

        // The store keeps a refresh token as long as the longest lifetime it knows of (pruning).
        var longest = serverOptions.CurrentValue.RefreshTokenLifetime ?? maxDelegation;
        principal.SetRefreshTokenLifetime(maxDelegation < longest ? maxDelegation : longest);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
