using Refit;

namespace UserService.Profiles;

/// <summary>ProfileService's API, called on behalf of the current user with their token.</summary>
public interface IProfileServiceClient
{
    [Get("/profiles/me")]
    Task<Profile> GetMyProfileAsync(CancellationToken cancellationToken);

    [Get("/profiles/me/preferences")]
    Task<Preferences> GetMyPreferencesAsync(CancellationToken cancellationToken);

    [Get("/profiles/me/activity")]
    Task<Activity> GetMyActivityAsync(CancellationToken cancellationToken);

    [Get("/profiles/{userId}")]
    Task<Profile> GetProfileAsync(string userId, CancellationToken cancellationToken);
}
