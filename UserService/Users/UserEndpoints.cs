using UserService.Profiles;

namespace UserService.Users;

public static class UserEndpoints
{
    /// <summary>The scope a token needs for any of UserService's endpoints.</summary>
    public const string ReadScope = "users.read";

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var users = endpoints.MapGroup("/users").RequireScope(ReadScope);

        users.MapGet("/me", GetMe);
        users.MapGet("/me/summary", (UserSummaryReader reader, CancellationToken cancellationToken) => reader.ReadAsync(cancellationToken));
        users.MapGet("/{userId}", GetUser);

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
