using UserService.Profiles;

namespace UserService.Users;

/// <summary>
/// Reads the current user's summary with three ProfileService calls at once. Each call carries the
/// token of the flow it runs on: the request's, or the one a background job restored.
/// </summary>
public sealed class UserSummaryReader(IProfileServiceClient profiles)
{
    public async Task<UserSummary> ReadAsync(CancellationToken cancellationToken)
    {
        var profile = profiles.GetMyProfileAsync(cancellationToken);
        var preferences = profiles.GetMyPreferencesAsync(cancellationToken);
        var activity = profiles.GetMyActivityAsync(cancellationToken);
        await Task.WhenAll(profile, preferences, activity);

        return new UserSummary((await profile).UserId, await profile, await preferences, await activity);
    }
}
