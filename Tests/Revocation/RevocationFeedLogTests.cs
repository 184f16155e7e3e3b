using IdentityService.Revocation;
using static IdentityService.Revocation.RevocationFeedLog;
using RevokedSubjectHash = JwtPropagation.Incoming.RevokedSubjectHash;
using RevokedSubject = IdentityService.Revocation.RevocationFeedLog.RevokedSubject;
using RevokedToken = IdentityService.Revocation.RevocationFeedLog.RevokedToken;

namespace Tests.Revocation;

/// <summary>
/// Which lines the issuer's revocation feed gains from the store's revocations: a line per revoked
/// token, a line per revoked subject covering the tokens issued before it, and one line in place
/// of a subject's tokens once they are more than the feed lists one by one.
/// </summary>
public sealed class RevocationFeedLogTests
{
    private const int PerSubject = 3;
    private static readonly DateTime Now = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Each_revoked_token_gets_a_line_once()
    {
        var tokens = new[] { Token("a", "alice", 1), Token("b", "bob", 2) };

        var first = Compare([], [], tokens, PerSubject);
        var again = Compare([.. first.Added], [], tokens, PerSubject);

        Assert.Equal(["a", "b"], first.Added.Select(line => line.TokenId));
        Assert.Equal(tokens.Select(token => token.ExpiresAt), first.Added.Select(line => line.ListedUntil));
        Assert.True(again.IsEmpty);
    }

    [Fact]
    public void A_subjects_tokens_beyond_the_limit_become_one_line_covering_all_of_them()
    {
        var tokens = Enumerable.Range(1, PerSubject + 1).Select(second => Token($"t{second}", "alice", second)).Append(Token("b", "bob", 9)).ToArray();

        var changes = Compare([], [], tokens, PerSubject);

        var subject = Assert.Single(changes.Added, line => line.SubjectSha256 is not null);
        Assert.Equal(RevokedSubjectHash.Sha256Of("alice"), subject.SubjectSha256);
        Assert.Equal(Now.AddSeconds(PerSubject + 1), subject.RevokedAt);
        Assert.Equal(Now.AddSeconds(PerSubject + 1).AddMinutes(15), subject.ListedUntil);
        Assert.Equal(["b"], changes.Added.Where(line => line.TokenId is not null).Select(line => line.TokenId));
    }

    [Fact]
    public void At_the_limit_a_subjects_tokens_are_still_listed_one_by_one()
    {
        var tokens = Enumerable.Range(1, PerSubject).Select(second => Token($"t{second}", "alice", second)).ToArray();

        var changes = Compare([], [], tokens, PerSubject);

        Assert.Equal(PerSubject, changes.Added.Count);
        Assert.All(changes.Added, line => Assert.NotNull(line.TokenId));
    }

    [Fact]
    public void Tokens_revoked_after_a_subjects_line_are_listed_one_by_one_again_until_the_limit_moves_the_line_forward()
    {
        var covered = Enumerable.Range(1, PerSubject + 1).Select(second => Token($"t{second}", "alice", second)).ToList();
        var listed = Listed(Compare([], [], covered, PerSubject));

        var later = Token("later", "alice", 30);
        var one = Compare(listed, [], [.. covered, later], PerSubject);
        Assert.Equal(["later"], one.Added.Select(line => line.TokenId));

        var many = Enumerable.Range(31, PerSubject + 1).Select(second => Token($"m{second}", "alice", second)).ToList();
        var moved = Compare(listed, [], [.. covered, .. many], PerSubject);
        var line = Assert.Single(moved.Added);
        Assert.Equal(Now.AddSeconds(30 + PerSubject + 1), line.RevokedAt);
        Assert.Equal(listed.Single(entry => entry.SubjectSha256 is not null), Assert.Single(moved.Removed));
    }

    [Fact]
    public void Token_lines_a_subjects_line_comes_to_cover_are_taken_out_so_a_subject_never_has_more_than_the_limit_and_one()
    {
        var first = Enumerable.Range(1, PerSubject).Select(second => Token($"t{second}", "alice", second)).ToList();
        var listed = Listed(Compare([], [], first, PerSubject));
        Assert.Equal(PerSubject, listed.Count);

        var more = Token("more", "alice", 20);
        var changes = Compare(listed, [], [.. first, more], PerSubject);

        Assert.Equal(listed, changes.Removed);
        Assert.Equal(RevokedSubjectHash.Sha256Of("alice"), Assert.Single(changes.Added).SubjectSha256);
    }

    [Fact]
    public void A_revoked_subject_gets_a_line_and_its_tokens_issued_before_it_none()
    {
        var revocation = new RevokedSubject(RevokedSubjectHash.Sha256Of("alice"), Now.AddSeconds(10), Now.AddMinutes(20));
        var tokens = new[] { Token("before", "alice", 5), Token("after", "alice", 20) };

        var changes = Compare([], [revocation], tokens, PerSubject);

        Assert.Contains(changes.Added, line => line.SubjectSha256 == revocation.Sha256 && line.RevokedAt == revocation.RevokedAt && line.ListedUntil == revocation.ListedUntil);
        Assert.Equal(["after"], changes.Added.Where(line => line.TokenId is not null).Select(line => line.TokenId));
    }

    [Fact]
    public void A_subject_revoked_again_gets_a_new_line_in_place_of_the_old()
    {
        var sha = RevokedSubjectHash.Sha256Of("alice");
        var listed = Listed(Compare([], [new RevokedSubject(sha, Now, Now.AddMinutes(15))], [], PerSubject));

        var changes = Compare(listed, [new RevokedSubject(sha, Now.AddMinutes(1), Now.AddMinutes(16))], [], PerSubject);

        Assert.Equal(listed, changes.Removed);
        Assert.Equal(Now.AddMinutes(1), Assert.Single(changes.Added).RevokedAt);
    }

    [Fact]
    public void A_token_without_a_subject_is_listed_whatever_the_number()
    {
        var tokens = Enumerable.Range(1, PerSubject + 2).Select(second => Token($"c{second}", subject: null, second)).ToArray();

        var changes = Compare([], [], tokens, PerSubject);

        Assert.Equal(PerSubject + 2, changes.Added.Count(line => line.TokenId is not null));
    }

    private static RevokedToken Token(string id, string? subject, int issuedSecond) =>
        new(id, subject, Now.AddSeconds(issuedSecond), Now.AddSeconds(issuedSecond).AddMinutes(15));

    /// <summary>The lines as the store holds them once written: numbered in order.</summary>
    private static List<RevocationFeedEntry> Listed(Changes changes)
    {
        var version = 0L;
        foreach (var line in changes.Added)
        {
            line.Version = ++version;
        }

        return changes.Added;
    }
}
