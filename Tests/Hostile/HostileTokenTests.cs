using System.Net;
using Tests.Integration;

namespace Tests.Hostile;

/// <summary>
/// Every attack of <see cref="HostileTokens"/> against both services: the exact status and
/// WWW-Authenticate error RFC 6750 asks for, never a 5xx, and the service healthy afterwards.
/// </summary>
public sealed class HostileTokenTests(DistributedAppFixture app, AttackerKeyServer keyServer) : IClassFixture<AttackerKeyServer>
{
    // Where a valid token gets a plain answer without a further call: an unknown export (404) and
    // the caller's own profile (200).
    private static readonly Dictionary<string, string> Paths = new()
    {
        ["userservice"] = $"/users/me/exports/{Guid.Empty}",
        ["profileservice"] = "/profiles/me",
    };

    public static TheoryData<string, string> Attacks()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in Paths.Keys)
        {
            foreach (var attack in HostileTokens.Cases)
            {
                data.Add(service, attack);
            }
        }

        return data;
    }

    [Theory]
    [InlineData("userservice", HttpStatusCode.NotFound)]
    [InlineData("profileservice", HttpStatusCode.OK)]
    public async Task The_token_the_attacks_spoil_is_accepted_as_it_is(string service, HttpStatusCode expected)
    {
        using var tokens = new HostileTokens(app.Forge, audience: service, keyServer.Address);
        using var client = app.CreateClient(service, tokens.Valid());

        using var response = await client.GetAsync(new Uri(Paths[service], UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("userservice", HttpStatusCode.NotFound)]
    [InlineData("profileservice", HttpStatusCode.OK)]
    public async Task The_media_type_spelling_of_at_jwt_is_accepted_as_RFC_9068_asks(string service, HttpStatusCode expected)
    {
        using var tokens = new HostileTokens(app.Forge, audience: service, keyServer.Address);
        using var client = app.CreateClient(service, tokens.ValidOfType("application/at+jwt"));

        using var response = await client.GetAsync(new Uri(Paths[service], UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task An_attack_is_refused_with_the_answer_RFC_6750_asks_for(string service, string attack)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var tokens = new HostileTokens(app.Forge, audience: service, keyServer.Address);
        var hostile = tokens.Create(attack);
        using var client = app.CreateClient(service);

        using var response = await client.SendAsync(Request(hostile, Paths[service]), cancellationToken);
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);

        Assert.Equal(hostile.ExpectedStatus, response.StatusCode);
        if (hostile.Challenged)
        {
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.Equal(hostile.ExpectedError, ErrorOf(challenge.Parameter));
        }
        else
        {
            Assert.Empty(response.Headers.WwwAuthenticate);
        }

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(0, keyServer.RequestsReceived);
    }

    private static HttpRequestMessage Request(HostileRequest hostile, string path)
    {
        var target = hostile.QueryToken is null ? path : $"{path}?access_token={hostile.QueryToken}";
        var request = new HttpRequestMessage(hostile.FormToken is null ? HttpMethod.Get : HttpMethod.Post, new Uri(target, UriKind.Relative));
        foreach (var authorization in hostile.Authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (hostile.FormToken is not null)
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = hostile.FormToken });
        }

        return request;
    }

    // error="invalid_token", error_description="..." -> invalid_token
    private static string? ErrorOf(string? parameters) =>
        parameters?.Split(',').Select(part => part.Trim())
            .FirstOrDefault(part => part.StartsWith("error=", StringComparison.Ordinal))?["error=".Length..].Trim('"');
}
