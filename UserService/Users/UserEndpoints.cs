using UserService.Profiles;

namespace UserService.Users;

public static class UserEndpoints
{
    /// <summary>The scope a token needs for any of UserService's endpoints.</summary>
    public const string ReadScope = "users.read";

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Each calls ProfileService with the caller's token, and answers its 404 as its own.
        var users = endpoints.MapGroup("/users").RequireTokenScope(ReadScope)
            .WithDownstreamScope(ProfileServiceFailure.ProfileServiceReadScope)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapGet("/me", GetMe);
        users.MapGet("/me/summary", (UserSummaryReader reader, CancellationToken cancellationToken) => reader.ReadAsync(cancellationToken));
        users.MapGet("/{userId}", GetUser)
            .WithDescription("A caller reads their own profile; any other needs the 'profiles.admin' scope too (403 otherwise).");

        return endpoints;
    }

    private static async Task<UserResponse> GetMe(IProfileServiceClient profiles, CancellationToken cancellationToken)
    {
        var profile = await profiles.GetMyProfileAsync(cancellationToken);
        return new UserResponse(profile.UserId, profile);
    }

    private static async Task<UserResponse> GetUser(
        string userId, IProfileServiceClient profiles, CancellationToken cancellationToken)
    {
        var profile = await profiles.GetProfileAsync(userId, cancellationToken);
        return new UserResponse(userId, profile);
    }
}
