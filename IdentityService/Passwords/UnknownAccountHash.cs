using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityService.Passwords;

/// <summary>
/// A password hash no one knows the password of, made by the same hasher with the same settings as
/// the users' own: checking a password against it for a name that has no account costs what the
/// check of a real account costs, so the time of a refusal does not tell which accounts exist.
/// </summary>
public sealed class UnknownAccountHash(IOptions<PasswordHasherOptions> options)
{
    private static readonly IdentityUser Nobody = new();

    private readonly PasswordHasher<IdentityUser> _hasher = new(options);
    private readonly Lazy<string> _hash = new(() =>
        new PasswordHasher<IdentityUser>(options).HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    /// <summary>Does the work of a password check; never matches.</summary>
    public void Verify(string password) => _hasher.VerifyHashedPassword(Nobody, _hash.Value, password);
}
