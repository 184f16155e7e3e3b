using UserService.Profiles;

namespace UserService.Users;

/// <summary>Everything ProfileService holds about a user, fetched in parallel.</summary>
public sealed record UserSummary(string UserId, Profile Profile, Preferences Preferences, Activity Activity);
