using System.Collections.Frozen;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Threading.RateLimiting;
using IdentityService.Settings;
using IdentityService.SignIn;

namespace IdentityService.RateLimits;

/// <summary>
/// Whose allowance a request is counted on (<see cref="RateLimitOptions"/>). Only the endpoints a
/// stranger can knock at are counted. A confidential client is known by the client id of its Basic
/// credentials, among the configured ones only (so made-up ids make no allowances of their own);
/// the secret is checked after, by OpenIddict. Everyone else is their address: public clients are
/// shared by every person who uses them, so an allowance per public client would let one stranger
/// spend everybody's.
/// </summary>
internal sealed class CallerPartitions(RateLimitOptions limits, IEnumerable<string> confidentialClients)
{
    // A client id and secret, base64: far longer than any configured client's.
    private const int MaxCredentialsLength = 1_024;

    private static readonly PathString[] CountedPaths =
        ["/connect/token", "/connect/revoke", "/connect/authorize", SignInCookie.SignInPath, SignInCookie.ChangePasswordPath];

    private readonly FrozenSet<string> _confidentialClients = confidentialClients.ToFrozenSet(StringComparer.Ordinal);

    public RateLimitPartition<string> Of(HttpContext context)
    {
        if (!IsCounted(context.Request.Path))
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        return ConfidentialClientOf(context.Request) is { } clientId
            ? TokenBucket($"client:{clientId}", limits.PerClient)
            : TokenBucket($"address:{AddressOf(context.Connection.RemoteIpAddress)}", limits.PerAddress);
    }

    // On every request the issuer serves: a loop, no closure.
    private static bool IsCounted(PathString path)
    {
        foreach (var counted in CountedPaths)
        {
            if (path.StartsWithSegments(counted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private string? ConfidentialClientOf(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var credentials)
            || !credentials.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)
            || credentials.Parameter is not { Length: <= MaxCredentialsLength })
        {
            return null;
        }

        // RFC 6749 section 2.3.1: the client id, form-encoded, before the first colon.
        Span<byte> decoded = stackalloc byte[credentials.Parameter.Length];
        if (!Convert.TryFromBase64String(credentials.Parameter, decoded, out var length))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(decoded[..length]);
        var clientId = Uri.UnescapeDataString(text[..Math.Max(0, text.IndexOf(':', StringComparison.Ordinal))]);
        return _confidentialClients.Contains(clientId) ? clientId : null;
    }

    /// <summary>An IPv4 caller by its address; an IPv6 one by its /64, which one site usually holds whole.</summary>
    private static string AddressOf(IPAddress? address) => address switch
    {
        null => "unknown",
        { AddressFamily: AddressFamily.InterNetworkV6, IsIPv4MappedToIPv6: false } => Convert.ToHexString(address.GetAddressBytes(), 0, 8),
        _ => address.MapToIPv4().ToString(),
    };

    private static RateLimitPartition<string> TokenBucket(string key, RateLimit limit) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst,
            TokensPerPeriod = limit.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        });
}
