using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace JwtPropagation.Incoming;

/// <summary>
/// The claims of a verified token, as <see cref="VerifiedTokenHandler"/> hands them to JwtBearer,
/// carrying the <see cref="VerifiedToken"/> they were made from: the validation events take it from
/// the request's principal instead of looking the token up in the <see cref="VerifiedTokenCache"/> a
/// second time. Case-sensitive claim types, as <see cref="Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler"/> makes them.
/// </summary>
internal sealed class VerifiedIdentity : CaseSensitiveClaimsIdentity
{
    public VerifiedIdentity(ClaimsIdentity claims, VerifiedToken verified)
        : base(claims) => Verified = verified;

    /// <summary>What was worked out once for the token; its <see cref="VerifiedToken.Token"/> never appears in <see cref="object.ToString"/>.</summary>
    public VerifiedToken Verified { get; }

    public override ClaimsIdentity Clone() => new VerifiedIdentity(base.Clone(), Verified);
}
