using System.Net;

namespace Tests.Integration;

/// <summary>Each service validates every token it receives, on its own.</summary>
public sealed class AuthenticationTests(DistributedAppFixture app)
{
    private static readonly string[] BothAudiences = ["userservice", "profileservice"];

    public static TheoryData<string, string, BadToken> BadTokens()
    {
        var data = new TheoryData<string, string, BadToken>();
        foreach (var badToken in Enum.GetValues<BadToken>())
        {
            data.Add("userservice", "/users/me", badToken);
            data.Add("profileservice", "/profiles/me", badToken);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_answered_401_with_a_bearer_challenge(string service, string path, BadToken badToken)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await CreateAsync(badToken, service, cancellationToken);
        using var client = token is null ? app.CreateClient(service) : app.CreateClient(service, token);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        if (badToken != BadToken.Missing)
        {
            Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("userservice", "/users/me")]
    [InlineData("profileservice", "/profiles/me")]
    public async Task A_token_signed_with_the_issuers_key_for_the_service_is_accepted(string service, string path)
    {
        // The control for the expired case: the forge's tokens are valid unless made otherwise.
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = app.Forge.Mint("alice", BothAudiences, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), "users.read profiles.read");
        using var client = app.CreateClient(service, token);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);

        // Served, and as alice: not merely "not refused as unauthenticated" (a 403 or 5xx would pass that).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"alice\"", await response.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }

    private async Task<string?> CreateAsync(BadToken badToken, string service, CancellationToken cancellationToken) => badToken switch
    {
        BadToken.Missing => null,
        BadToken.Malformed => "not-a.jwt.at-all",
        // Expired by more than the 30 s clock skew the services allow.
        BadToken.Expired => app.Forge.Mint(
            "alice", BothAudiences, DateTimeOffset.UtcNow.AddMinutes(-20), TimeSpan.FromMinutes(15), "users.read profiles.read"),
        // A real token from the issuer, but only for the other service.
        BadToken.WrongAudience => await app.GetTokenAsync(
            "alice", service == "userservice" ? "profiles.read" : "users.read", cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(badToken)),
    };

    private static string AudienceOf(string service) => service;
}
