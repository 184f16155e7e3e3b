using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityService.Revocation;

/// <summary>
/// One token exchange: the access token issued, and the access token it was exchanged from (both
/// OpenIddict token entry ids). Revoking a token follows these links to every token exchanged
/// from it, hop after hop.
/// </summary>
public sealed class TokenExchangeLink
{
    public required string ExchangedTokenId { get; init; }

    public required string SubjectTokenId { get; init; }

    internal sealed class Configuration : IEntityTypeConfiguration<TokenExchangeLink>
    {
        public void Configure(EntityTypeBuilder<TokenExchangeLink> link)
        {
            link.HasKey(row => row.ExchangedTokenId);
            link.HasIndex(row => row.SubjectTokenId);

            // A link goes with either of its tokens when OpenIddict deletes (prunes) it.
            link.HasOne<OpenIddictEntityFrameworkCoreToken>().WithMany()
                .HasForeignKey(row => row.ExchangedTokenId).OnDelete(DeleteBehavior.Cascade);
            link.HasOne<OpenIddictEntityFrameworkCoreToken>().WithMany()
                .HasForeignKey(row => row.SubjectTokenId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
