using Microsoft.AspNetCore.Authentication;
using OpenIddict.Server.AspNetCore;

namespace IdentityService.Endpoints;

/// <summary>A grant's refusal, which OpenIddict writes as an OAuth error response (400, error and error_description).</summary>
internal static class TokenError
{
    public static IResult Create(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
