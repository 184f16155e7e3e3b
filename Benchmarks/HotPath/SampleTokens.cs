using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Benchmarks.HotPath;

/// <summary>Access tokens shaped like the issuer's (RS256, at+jwt, the same claims), and what validates them.</summary>
internal sealed class SampleTokens : IDisposable
{
    public const string Issuer = "https://identity.test/";
    public const string Audience = "profileservice";

    private readonly RSA _key = RSA.Create(2048);

    public SampleTokens()
    {
        var signingKey = new RsaSecurityKey(_key) { KeyId = "benchmark-key" };
        Credentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256);
        ValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = signingKey,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }

    public SigningCredentials Credentials { get; }

    public TokenValidationParameters ValidationParameters { get; }

    /// <summary>A new token of <paramref name="subject"/>, as UserService's exchange would receive it.</summary>
    public string Mint(string subject)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            TokenType = "at+jwt",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            SigningCredentials = Credentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["aud"] = Audience,
                ["scope"] = "profiles.read",
                ["client_id"] = "userservice",
                ["jti"] = Guid.NewGuid().ToString(),
                ["act"] = new Dictionary<string, object> { ["sub"] = "userservice" },
            },
        });
    }

    public void Dispose() => _key.Dispose();
}
