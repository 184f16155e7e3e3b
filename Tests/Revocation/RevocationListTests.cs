using JwtPropagation;

namespace Tests.Revocation;

/// <summary>
/// A service's revocation list, as the feed's reads change it: a complete read in place of what is
/// held, the lines after the version held added to it, and a line kept until every token it covers
/// has expired and the clock skew has passed too.
/// </summary>
public sealed class RevocationListTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    [Fact]
    public void Before_the_first_read_nothing_is_revoked_and_no_version_is_held()
    {
        var list = new RevocationList();

        Assert.Null(list.Version);
        Assert.Null(list.LastUpdated);
        Assert.False(list.FirstRead.IsCompleted);
        Assert.True(list.IsOlderThan(TimeSpan.FromDays(1), Now));
    }

    [Fact]
    public void Lines_after_the_version_held_are_added_to_those_held()
    {
        var list = new RevocationList();
        list.Apply(Read(1, complete: true, tokens: ["a"]), Now, Skew);

        list.Apply(Read(2, complete: false, tokens: ["b"]), Now, Skew);

        Assert.True(list.IsRevoked("a", null, Now));
        Assert.True(list.IsRevoked("b", null, Now));
        Assert.False(list.IsRevoked("c", null, Now));
        Assert.Equal(2, list.Version);
        Assert.True(list.FirstRead.IsCompleted);
    }

    [Fact]
    public void A_complete_read_takes_the_place_of_the_lines_held()
    {
        var list = new RevocationList();
        list.Apply(Read(5, complete: true, tokens: ["a"]), Now, Skew);

        list.Apply(Read(3, complete: true, tokens: ["b"]), Now, Skew);

        Assert.False(list.IsRevoked("a", null, Now));
        Assert.True(list.IsRevoked("b", null, Now));
        Assert.Equal(3, list.Version);
    }

    [Fact]
    public void A_read_with_nothing_new_keeps_the_lines_and_counts_as_a_read()
    {
        var list = new RevocationList();
        list.Apply(Read(1, complete: true, tokens: ["a"]), Now, Skew);

        list.Apply(Read(1, complete: false), Now.AddMinutes(1), Skew);

        Assert.True(list.IsRevoked("a", null, Now));
        Assert.Equal(Now.AddMinutes(1), list.LastUpdated);
        Assert.False(list.IsOlderThan(TimeSpan.FromSeconds(30), Now.AddMinutes(1).AddSeconds(30)));
        Assert.True(list.IsOlderThan(TimeSpan.FromSeconds(30), Now.AddMinutes(1).AddSeconds(31)));
    }

    [Fact]
    public void A_subjects_newer_line_takes_the_place_of_the_older()
    {
        var list = new RevocationList();
        list.Apply(Read(1, complete: true, subjects: [new RevokedSubject("alice", Now, Now.AddMinutes(15))]), Now, Skew);
        Assert.False(list.IsRevoked(null, "alice", Now.AddSeconds(1)));

        list.Apply(Read(2, complete: false, subjects: [new RevokedSubject("alice", Now.AddSeconds(10), Now.AddMinutes(16))]), Now, Skew);

        Assert.True(list.IsRevoked(null, "alice", Now.AddSeconds(1)));
        Assert.True(list.IsRevoked(null, "alice", Now.AddSeconds(10)));
        Assert.False(list.IsRevoked(null, "alice", Now.AddSeconds(11)));
    }

    [Fact]
    public void A_line_stays_until_its_tokens_expired_and_the_clock_skew_passed()
    {
        var list = new RevocationList();
        list.Apply(Read(1, complete: true, tokens: ["a"]), Now, Skew);
        var expiresAt = Now.AddMinutes(15);

        list.Apply(Read(2, complete: false, tokens: ["b"]), expiresAt + Skew, Skew);
        Assert.True(list.IsRevoked("a", null, Now));

        list.Apply(Read(3, complete: false, tokens: ["c"]), expiresAt + Skew + TimeSpan.FromSeconds(1), Skew);
        Assert.False(list.IsRevoked("a", null, Now));
    }

    private static RevocationFeedDocument Read(long version, bool complete, string[]? tokens = null, RevokedSubject[]? subjects = null) =>
        new(version, complete, [.. (tokens ?? []).Select(jti => new RevokedToken(jti, Now.AddMinutes(15)))], subjects ?? []);
}
