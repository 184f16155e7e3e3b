using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Endpoints;

/// <summary>
/// The RFC 8693 (section 4.1) <c>act</c> claim: who acts for the subject. Each exchange wraps the
/// chain so far, so the outermost <c>sub</c> is the current actor and the innermost the first one.
/// </summary>
internal static class ActorClaim
{
    public const string Type = "act";

    /// <summary>{"sub":"<paramref name="actor"/>"}, with the subject token's own act nested inside as "act".</summary>
    public static Claim Create(string actor, ClaimsPrincipal subjectToken)
    {
        var value = new JsonObject { ["sub"] = actor };

        // The subject token was issued and signed here, so its act is an object of this same shape.
        if (subjectToken.GetClaim(Type) is { Length: > 0 } previous)
        {
            value[Type] = JsonNode.Parse(previous);
        }

        // The JSON value type makes the token handler write a JSON object, not a string holding one.
        return new Claim(Type, value.ToJsonString(), JsonClaimValueTypes.Json).SetDestinations(Destinations.AccessToken);
    }
}
