using IdentityService.Clients;

namespace Tests.Clients;

/// <summary>
/// The issuer's memory of client secrets that verified: it answers for the very secret and stored
/// hash it was given, nothing else, and stays bounded.
/// </summary>
public sealed class VerifiedClientSecretsTests
{
    private const string Secret = "the-secret-of-userservice-0123456789";
    private const string StoredHash = "AQAAAAEAACcQAAAAEJZ1bCkz5yq0b2r3nY0o0mE=";

    [Fact]
    public void A_secret_is_known_only_once_it_verified()
    {
        var verified = new VerifiedClientSecrets();

        Assert.False(verified.Contains(Secret, StoredHash));
        verified.Add(Secret, StoredHash);
        Assert.True(verified.Contains(Secret, StoredHash));
    }

    [Fact]
    public void Another_secret_is_not_known_for_the_same_stored_hash()
    {
        var verified = new VerifiedClientSecrets();
        verified.Add(Secret, StoredHash);

        Assert.False(verified.Contains(Secret + "x", StoredHash));
        Assert.False(verified.Contains(Secret[..^1], StoredHash));
    }

    [Fact]
    public void A_changed_secret_stored_anew_no_longer_knows_the_old_one()
    {
        var verified = new VerifiedClientSecrets();
        verified.Add(Secret, StoredHash);

        // A new secret is stored with a new salt: the stored hash differs, even for the same secret.
        Assert.False(verified.Contains(Secret, "AQAAAAEAACcQAAAAEOther0saltOther0hash0A="));
    }

    [Fact]
    public void It_holds_no_more_than_its_capacity()
    {
        var verified = new VerifiedClientSecrets();
        for (var i = 0; i <= VerifiedClientSecrets.Capacity; i++)
        {
            verified.Add($"{Secret}-{i}", StoredHash);
        }

        Assert.Equal(1, Enumerable.Range(0, VerifiedClientSecrets.Capacity + 1).Count(i => verified.Contains($"{Secret}-{i}", StoredHash)));
    }
}
