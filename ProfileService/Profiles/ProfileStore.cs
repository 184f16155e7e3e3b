using System.Collections.Frozen;

namespace ProfileService.Profiles;

/// <summary>
/// The profile data this service owns. The development users (alice, bob, user001..user200) get
/// deterministic data that names its user, so a test can tell from any answer whose it is.
/// </summary>
public sealed class ProfileStore
{
    private static readonly string[] Departments = ["Engineering", "Finance", "Operations", "Research", "Sales"];
    private static readonly string[] Languages = ["en", "fr", "de", "es"];
    private static readonly string[] Actions = ["signed in", "updated profile", "exported data", "changed preferences"];
    private static readonly DateTimeOffset ActivityEpoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FrozenDictionary<string, Entry> _entries = CreateDevelopmentEntries()
        .ToFrozenDictionary(entry => entry.Profile.UserId, StringComparer.Ordinal);

    public Profile? FindProfile(string userId) => _entries.GetValueOrDefault(userId)?.Profile;

    public Preferences? FindPreferences(string userId) => _entries.GetValueOrDefault(userId)?.Preferences;

    public Activity? FindActivity(string userId) => _entries.GetValueOrDefault(userId)?.Activity;

    private static IEnumerable<Entry> CreateDevelopmentEntries()
    {
        yield return Create("alice", 0, "Alice Liddell", "Research");
        yield return Create("bob", 1, "Bob Builder", "Operations");

        for (var number = 1; number <= 200; number++)
        {
            yield return Create($"user{number:000}", number, $"User {number:000}", Departments[number % Departments.Length]);
        }
    }

    private static Entry Create(string userId, int seed, string displayName, string department) => new(
        new Profile(userId, displayName, $"{userId}@example.com", department),
        new Preferences(userId, Languages[seed % Languages.Length], seed % 2 == 0 ? "light" : "dark", Newsletter: seed % 3 == 0),
        new Activity(userId, [.. Enumerable.Range(0, 3).Select(index => new ActivityEntry(
            ActivityEpoch.AddHours(seed * 24 + index), Actions[(seed + index) % Actions.Length]))]));

    private sealed record Entry(Profile Profile, Preferences Preferences, Activity Activity);
}
