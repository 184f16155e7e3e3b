namespace Benchmarks.Baseline;

// The same shapes the real services exchange and answer (ProfileService/Profiles, UserService/Users).

public sealed record Profile(string UserId, string DisplayName, string Email, string Department);

public sealed record UserResponse(string UserId, Profile Profile);
