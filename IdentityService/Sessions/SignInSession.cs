using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IdentityService.Sessions;

/// <summary>
/// A person's session at the issuer, kept here rather than in the cookie: the cookie carries only
/// <see cref="Id"/>, so deleting this row ends the session wherever its cookie has been copied to.
/// </summary>
public sealed class SignInSession
{
    /// <summary>Random; the only thing the (protected) cookie holds.</summary>
    public required string Id { get; init; }

    /// <summary>The user id the session was started for.</summary>
    public required string Subject { get; set; }

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC: the cookie's own expiry; past it the row is refused and pruned.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>
    /// The authentication ticket, serialized and protected with Data Protection: a copy of this
    /// table does not give a cookie, and is not read without the issuer's keys.
    /// </summary>
    public required string ProtectedTicket { get; set; }

    internal sealed class Configuration : IEntityTypeConfiguration<SignInSession>
    {
        public void Configure(EntityTypeBuilder<SignInSession> session)
        {
            session.HasKey(row => row.Id);
            session.Property(row => row.Id).HasMaxLength(64);
            session.Property(row => row.Subject).HasMaxLength(400);
            session.HasIndex(row => row.Subject);
            session.HasIndex(row => row.ExpiresAt);
        }
    }
}
