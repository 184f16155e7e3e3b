using IdentityService.Settings;

namespace Tests.Settings;

/// <summary>Where a public client's codes may be sent is checked when the issuer starts.</summary>
public sealed class PublicClientSettingsTests
{
    [Theory]
    [InlineData("http://app.example.com/callback")]
    [InlineData("http://10.0.0.5:8765/callback")]
    [InlineData("https://app.example.com/*")]
    [InlineData("https://app.example.com/callback#fragment")]
    [InlineData("/callback")]
    public void A_redirect_uri_that_could_send_a_code_in_clear_or_by_pattern_stops_the_start(string redirectUri)
    {
        var failures = Validate(redirectUri);

        var failure = Assert.Single(failures);
        Assert.Contains("IdentityServer:PublicClients:tool:RedirectUris", failure, StringComparison.Ordinal);
        Assert.Contains("http on loopback only", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example.com/callback")]
    [InlineData("http://127.0.0.1:8765/callback")]
    [InlineData("http://[::1]:8765/callback")]
    [InlineData("http://localhost:8765/callback")]
    [InlineData("com.example.tool:/callback")]
    public void Https_loopback_http_and_an_apps_own_scheme_are_accepted(string redirectUri)
    {
        Assert.Empty(Validate(redirectUri));
    }

    private static IEnumerable<string> Validate(string redirectUri)
    {
        var options = new IdentityServerOptions
        {
            Issuer = new Uri("https://identity.example.com/"),
            RevocationFeedKey = new string('k', 32),
            KeyEncryptionKey = new string('e', 32),
            PublicClients = { ["tool"] = new PublicClientOptions { RedirectUris = [redirectUri], Scopes = ["users.read"] } },
        };

        return new IdentityServerOptionsValidator().Validate(null, options).Failures ?? [];
    }
}
