using IdentityService.Passwords;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Endpoints;

/// <summary>grant_type=password (Development only): checks the user's password and issues a token for that user.</summary>
internal sealed class PasswordGrant(PasswordCheck passwordCheck, AccessTokenPrincipalFactory principalFactory, GrantLifetime grantLifetime)
{
    public async Task<IResult> HandleAsync(OpenIddictRequest request, CancellationToken cancellationToken)
    {
        // Guesses are throttled per account name, never by locking the account (Passwords/).
        if (await passwordCheck.CheckAsync(request.Username ?? string.Empty, request.Password ?? string.Empty) is not { } user)
        {
            // One answer for an unknown user, a wrong password, a throttled name and a locked account: it does not say which.
            return TokenError.Create(Errors.InvalidGrant, "The username or password is invalid.");
        }

        var (principal, unentitled) = await principalFactory.CreateAsync(user, request.GetScopes(), cancellationToken);
        if (principal is null)
        {
            return TokenError.Create(Errors.InvalidScope, AccessTokenPrincipalFactory.Unentitled(unentitled!));
        }

        grantLifetime.CapRefreshToken(principal);

        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
