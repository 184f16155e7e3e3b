using System.Collections.Frozen;

namespace Benchmarks.Baseline;

/// <summary>
/// The profiles ProfileService/Profiles/ProfileStore.cs gives the development users, copied (the
/// profile part only) so the baseline answers the same bytes without referencing the service.
/// </summary>
public sealed class ProfileStore
{
    private static readonly string[] Departments = ["Engineering", "Finance", "Operations", "Research", "Sales"];

    private readonly FrozenDictionary<string, Profile> _profiles = CreateDevelopmentProfiles()
        .ToFrozenDictionary(profile => profile.UserId, StringComparer.Ordinal);

    public Profile? FindProfile(string userId) => _profiles.GetValueOrDefault(userId);

    private static IEnumerable<Profile> CreateDevelopmentProfiles()
    {
        yield return Create("alice", "Alice Liddell", "Research");
        yield return Create("bob", "Bob Builder", "Operations");

        for (var number = 1; number <= 200; number++)
        {
            yield return Create($"user{number:000}", $"User {number:000}", Departments[number % Departments.Length]);
        }
    }

    private static Profile Create(string userId, string displayName, string department) =>
        new(userId, displayName, $"{userId}@example.com", department);
}
