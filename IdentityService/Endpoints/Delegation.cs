using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Endpoints;

/// <summary>
/// A delegation: a refresh token this server issued to a service client by token exchange
/// (<c>requested_token_type</c> refresh_token), for one job of one user, one audience and the
/// scopes the user's token held there. The client never redeems it (it holds no refresh_token
/// grant); it presents it as the subject token of later exchanges, each giving a short-lived access
/// token whose <c>act</c> names the client and whose <see cref="JobIdClaim"/> names the job.
/// </summary>
internal static class Delegation
{
    /// <summary>The token request parameter naming the job a delegation is for.</summary>
    public const string JobIdParameter = "job_id";

    /// <summary>The claim naming the job, in the delegation and in every access token made from it.</summary>
    public const string JobIdClaim = "job_id";

    public const int MaxJobIdLength = 100;

    /// <summary>Whether a refresh token OpenIddict validated as a subject token is a delegation, not a user's own.</summary>
    public static bool Is(ClaimsPrincipal refreshToken) => refreshToken.GetClaim(JobIdClaim) is { Length: > 0 };

    public static string? JobIdOf(OpenIddictRequest request) =>
        (string?)request[JobIdParameter] is { Length: > 0 and <= MaxJobIdLength } jobId && !string.IsNullOrWhiteSpace(jobId) ? jobId : null;

    public static Claim CreateJobClaim(string jobId) => new Claim(JobIdClaim, jobId).SetDestinations(Destinations.AccessToken);

    /// <summary>The delegation's job, for an access token made from it.</summary>
    public static Claim JobOf(ClaimsPrincipal delegation) =>
        CreateJobClaim(delegation.GetClaim(JobIdClaim) ?? throw new InvalidOperationException("The delegation names no job."));

    /// <summary>The delegation's actor chain as it was made (its client outermost), for an access token made from it.</summary>
    public static Claim ActorOf(ClaimsPrincipal delegation) =>
        delegation.FindFirst(ActorClaim.Type) is { } actor
            ? new Claim(ActorClaim.Type, actor.Value, JsonClaimValueTypes.Json).SetDestinations(Destinations.AccessToken)
            : throw new InvalidOperationException("The delegation names no actor.");
}
