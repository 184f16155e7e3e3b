using System.ComponentModel.DataAnnotations;
using JwtPropagation;
using Microsoft.Extensions.Hosting;

namespace Tests.Authentication;

/// <summary>Settings a service cannot validate tokens safely with stop it at start, naming the setting.</summary>
public sealed class JwtValidationOptionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("too-short-for-a-secret")]
    public void A_revocation_feed_needs_the_key_its_user_names_are_made_with(string? key)
    {
        var options = new JwtValidationOptions
        {
            Authority = "https://issuer.test/",
            Audience = "profileservice",
            RevocationFeed = new Uri("https://issuer.test/revocations"),
            RevocationFeedKey = key,
        };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        var error = Assert.Single(errors);
        Assert.Equal([nameof(JwtValidationOptions.RevocationFeedKey)], error.MemberNames);
    }

    [Fact]
    public void Without_a_feed_no_key_is_needed()
    {
        var options = new JwtValidationOptions { Authority = "https://issuer.test/", Audience = "profileservice" };

        Assert.Empty(options.Validate(new ValidationContext(options)));
    }
}
