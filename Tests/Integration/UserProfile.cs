namespace Tests.Integration;

/// <summary>What UserService answers for a user: the user and their profile from ProfileService.</summary>
public sealed record UserProfile(string UserId, ProfileBody Profile);

public sealed record ProfileBody(string UserId, string DisplayName, string Email, string Department);
