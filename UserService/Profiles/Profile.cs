namespace UserService.Profiles;

// What ProfileService answers; each names the user it belongs to.

public sealed record Profile(string UserId, string DisplayName, string Email, string Department);

public sealed record Preferences(string UserId, string Language, string Theme, bool Newsletter);

public sealed record Activity(string UserId, IReadOnlyList<ActivityEntry> Recent);

public sealed record ActivityEntry(DateTimeOffset At, string Action);
