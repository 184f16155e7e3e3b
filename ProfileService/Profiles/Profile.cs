namespace ProfileService.Profiles;

public sealed record Profile(string UserId, string DisplayName, string Email, string Department);
