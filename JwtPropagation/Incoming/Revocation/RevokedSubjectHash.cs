using System.Security.Cryptography;
using System.Text;

// Compiled into IdentityService too (a linked file), where the issuer writes the names this
// library matches: one source for both sides, in the issuer's own namespace there, so the
// two internal copies never meet in one scope (Tests sees both).
#if JWT_PROPAGATION_ISSUER
namespace IdentityService.Revocation;
#else
namespace JwtPropagation.Incoming;
#endif

/// <summary>
/// How the revocation feed names a revoked user, written by the issuer and matched by the services:
/// HMAC-SHA256, keyed with the feed key they share, of the SHA-256 of the user id (lower-case hex
/// both). A plain hash of a user id is a dictionary lookup away from the id; without the key no one
/// can tell which users a feed lists.
/// </summary>
internal static class RevokedSubjectHash
{
    /// <summary>The SHA-256 of <paramref name="subject"/>, lower-case hex: what the issuer stores instead of the id.</summary>
    public static string Sha256Of(string subject) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)));

    /// <summary>
    /// The name of a feed key, sent with the feed so that a service holding another key says so
    /// instead of silently matching no revoked user: HMAC-SHA256 keyed with it of a fixed label,
    /// the first 8 bytes in lower-case hex. It tells keys apart and reveals nothing of them.
    /// </summary>
    public static string KeyIdOf(string feedKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(feedKey), "revocation-feed-key-id"u8)[..8]);

    /// <summary>The feed's name for the subject whose SHA-256 is <paramref name="subjectSha256"/>.</summary>
    public static string Of(string subjectSha256, string feedKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(feedKey), Encoding.UTF8.GetBytes(subjectSha256)));
}
