namespace UserService.Profiles;

/// <summary>A user's profile as ProfileService returns it.</summary>
public sealed record Profile(string UserId, string DisplayName, string Email, string Department);
