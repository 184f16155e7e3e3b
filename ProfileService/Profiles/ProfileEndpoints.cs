using System.Security.Claims;
using JwtPropagation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ProfileService.Profiles;

public static class ProfileEndpoints
{
    /// <summary>The profile operations, over HTTP (<c>/profiles</c>) and gRPC (<see cref="ProfileGrpcService"/>), with the same scope rules.</summary>
    public static IEndpointRouteBuilder MapProfileEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // 404: no profile for the user (the token's own subject included).
        var profiles = endpoints.MapGroup("/profiles").RequireTokenScope(ProfileAccess.ReadScope).ProducesProblem(StatusCodes.Status404NotFound);

        profiles.MapGet("/me", GetMyProfile);
        profiles.MapGet("/me/preferences", GetMyPreferences);
        profiles.MapGet("/me/activity", GetMyActivity);
        profiles.MapGet("/{userId}", GetProfile)
            .WithDescription($"A caller reads their own profile; any other needs the '{ProfileAccess.AdminScope}' scope too (403 otherwise, before the lookup).");

        endpoints.MapGrpcService<ProfileGrpcService>().RequireTokenScope(ProfileAccess.ReadScope);

        return endpoints;
    }

    private static Results<Ok<Profile>, ProblemHttpResult> GetMyProfile(ClaimsPrincipal user, ProfileStore store) =>
        ReadOwn(user, store.FindProfile);

    private static Results<Ok<Preferences>, ProblemHttpResult> GetMyPreferences(ClaimsPrincipal user, ProfileStore store) =>
        ReadOwn(user, store.FindPreferences);

    private static Results<Ok<Activity>, ProblemHttpResult> GetMyActivity(ClaimsPrincipal user, ProfileStore store) =>
        ReadOwn(user, store.FindActivity);

    private static Results<Ok<Profile>, ProblemHttpResult> GetProfile(
        string userId, ClaimsPrincipal user, ProfileStore store, HttpContext httpContext)
    {
        if (!ProfileAccess.MayRead(user, userId))
        {
            // RFC 6750: the token is valid, but grants too little; say which scope would do.
            httpContext.Response.Headers.WWWAuthenticate = BearerChallenge.ForMissingScope(ProfileAccess.AdminScope);
            return Forbidden($"Only the user themself, or a caller with the '{ProfileAccess.AdminScope}' scope, may read this profile.");
        }

        return Read(userId, store.FindProfile);
    }

    /// <summary>Reads the data of the token's own subject: whose it is comes from the token alone.</summary>
    private static Results<Ok<T>, ProblemHttpResult> ReadOwn<T>(ClaimsPrincipal user, Func<string, T?> find) =>
        user.GetSubject() is { } subject
            ? Read(subject, find)
            : Forbidden("The token names no user (it has no 'sub' claim).");

    private static Results<Ok<T>, ProblemHttpResult> Read<T>(string userId, Func<string, T?> find) =>
        find(userId) is { } found
            ? TypedResults.Ok(found)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Profile not found",
                detail: $"There is no profile for user '{userId}'.");

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);
}
