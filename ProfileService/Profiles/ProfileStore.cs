using System.Collections.Frozen;

namespace ProfileService.Profiles;

/// <summary>
/// The profiles this service owns. The development users (alice, bob, user001..user200) get
/// deterministic profiles, so a test can tell from the content whose profile it received.
/// </summary>
public sealed class ProfileStore
{
    private static readonly string[] Departments = ["Engineering", "Finance", "Operations", "Research", "Sales"];

    private readonly FrozenDictionary<string, Profile> _profiles = CreateDevelopmentProfiles()
        .ToFrozenDictionary(profile => profile.UserId, StringComparer.Ordinal);

    public Profile? Find(string userId) => _profiles.GetValueOrDefault(userId);

    private static IEnumerable<Profile> CreateDevelopmentProfiles()
    {
        yield return new Profile("alice", "Alice Liddell", "alice@example.com", "Research");
        yield return new Profile("bob", "Bob Builder", "bob@example.com", "Operations");

        for (var number = 1; number <= 200; number++)
        {
            var userId = $"user{number:000}";
            yield return new Profile(userId, $"User {number:000}", $"{userId}@example.com", Departments[number % Departments.Length]);
        }
    }
}
