using UserService.Profiles;

namespace UserService.Users;

/// <summary>A user together with the profile ProfileService holds for them.</summary>
public sealed record UserResponse(string UserId, Profile Profile);
