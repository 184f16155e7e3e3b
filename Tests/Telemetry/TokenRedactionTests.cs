using System.Security.Cryptography;
using System.Text;
using JwtPropagation;
using Microsoft.IdentityModel.Tokens;

namespace Tests.Telemetry;

/// <summary>The last line of defence before telemetry leaves a service: a token recorded anywhere leaves nothing of itself.</summary>
public sealed class TokenRedactionTests
{
    public static TheoryData<string> Tokens => new()
    {
        // JWS compact serialization: header.payload.signature.
        Join(Encode("""{"alg":"RS256","typ":"at+jwt"}"""), Encode("""{"sub":"alice","aud":"profileservice"}"""), Random(256)),
        // JWE compact serialization under direct encryption (the issuer's refresh tokens, hence delegations): header..iv.ciphertext.tag.
        Join(Encode("""{"alg":"dir","enc":"A256CBC-HS512","typ":"oi_reft+jwt"}"""), "", Random(16), Random(600), Random(32)),
        // JWE with a wrapped key: header.key.iv.ciphertext.tag.
        Join(Encode("""{"alg":"RSA-OAEP","enc":"A256GCM"}"""), Random(256), Random(12), Random(400), Random(16)),
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public void A_token_in_any_text_leaves_no_part_of_itself(string token)
    {
        foreach (var text in new[] { token, $"tag value {token} and more", $"https://profiles.test/profiles/me?page=2&t={token}" })
        {
            var redacted = TokenRedaction.Redact(text)!;

            Assert.Contains("[redacted]", redacted, StringComparison.Ordinal);
            Assert.All(token.Split('.').Where(part => part.Length > 0), part => Assert.DoesNotContain(part, redacted, StringComparison.Ordinal));
        }
    }

    private static string Join(params string[] parts) => string.Join('.', parts);

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    private static string Random(int bytes) => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(bytes));
}
