using System.Net;
using System.Text;
using IdentityService.RateLimits;
using IdentityService.Settings;
using Microsoft.AspNetCore.Http;

namespace Tests.RateLimits;

/// <summary>
/// Whose allowance each request at the issuer is counted on: a configured confidential client by
/// the id in its Basic credentials, anyone else by address (IPv6 by its /64), and only at the
/// endpoints strangers can reach.
/// </summary>
public sealed class CallerPartitionsTests
{
    private readonly CallerPartitions _partitions = new(new RateLimitOptions(), ["userservice"]);

    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/connect/revoke")]
    [InlineData("/connect/authorize")]
    [InlineData("/account/signin")]
    [InlineData("/CONNECT/TOKEN")]
    public void The_endpoints_strangers_reach_are_counted(string path) =>
        Assert.Equal("address:192.0.2.7", KeyOf(path, "192.0.2.7"));

    [Theory]
    [InlineData("/.well-known/jwks")]
    [InlineData("/revocations")]
    [InlineData("/health")]
    [InlineData("/connect/tokens")]
    public void Other_endpoints_are_not(string path) =>
        Assert.Equal("", KeyOf(path, "192.0.2.7"));

    [Fact]
    public void A_confidential_client_is_counted_by_the_client_id_of_its_credentials_wherever_it_calls_from()
    {
        Assert.Equal("client:userservice", KeyOf("/connect/token", "192.0.2.7", Basic("userservice", "any secret")));
        Assert.Equal("client:userservice", KeyOf("/connect/token", "198.51.100.1", Basic("userservice", "another")));
    }

    [Theory]
    [InlineData("made-up")]
    [InlineData("dev-cli")]
    [InlineData("")]
    public void Credentials_naming_no_configured_confidential_client_count_on_the_address(string clientId) =>
        Assert.Equal("address:192.0.2.7", KeyOf("/connect/token", "192.0.2.7", Basic(clientId, "secret")));

    [Theory]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic dXNlcnNlcnZpY2U=")]
    [InlineData("Bearer abc")]
    public void Credentials_that_do_not_read_count_on_the_address(string authorization) =>
        Assert.Equal("address:192.0.2.7", KeyOf("/connect/token", "192.0.2.7", authorization));

    [Fact]
    public void An_IPv6_caller_is_counted_by_its_64_bit_network_and_an_IPv4_mapped_one_by_its_IPv4_address()
    {
        Assert.Equal(KeyOf("/connect/token", "2001:db8:1:2::1"), KeyOf("/connect/token", "2001:db8:1:2:ffff::9"));
        Assert.NotEqual(KeyOf("/connect/token", "2001:db8:1:2::1"), KeyOf("/connect/token", "2001:db8:1:3::1"));
        Assert.Equal("address:192.0.2.7", KeyOf("/connect/token", "::ffff:192.0.2.7"));
    }

    private string KeyOf(string path, string address, string? authorization = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return _partitions.Of(context).PartitionKey;
    }

    // RFC 6749 section 2.3.1: each part form-encoded, then joined and base64-encoded.
    private static string Basic(string clientId, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));
}
