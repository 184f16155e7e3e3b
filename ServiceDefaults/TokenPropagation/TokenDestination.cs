using System.Net;
using Microsoft.Extensions.ServiceDiscovery;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The endpoints a client's token may be sent to: its configured destination, as service
/// discovery resolves it, compared by exact scheme, host and port.
/// </summary>
internal sealed class TokenDestination(Uri destination, ServiceEndpointResolver? resolver)
{
    // A destination like https+http://name lists the schemes service discovery may choose from.
    private readonly string[] _schemes = destination.Scheme.Split('+');

    public async ValueTask<bool> AllowsAsync(Uri target, CancellationToken cancellationToken)
    {
        if (resolver is null)
        {
            return Matches(target, _schemes, destination.Host, destination.Port);
        }

        // Resolved endpoints are cached by service discovery, which also watches them for changes.
        var source = await resolver.GetEndpointsAsync(destination.GetLeftPart(UriPartial.Authority), cancellationToken);
        return source.Endpoints.Any(endpoint => endpoint.EndPoint switch
        {
            UriEndPoint { Uri: var uri } => Matches(target, [uri.Scheme], uri.Host, uri.Port),
            DnsEndPoint dns => Matches(target, _schemes, dns.Host, dns.Port > 0 ? dns.Port : destination.Port),
            IPEndPoint ip => Matches(target, _schemes, ip.Address.ToString(), ip.Port),
            _ => false,
        });
    }

    /// <summary>Whether plain http to <paramref name="target"/> stays on this machine.</summary>
    public static bool IsLoopback(Uri target) =>
        target.IsLoopback || (IPAddress.TryParse(target.Host, out var address) && IPAddress.IsLoopback(address));

    private static bool Matches(Uri target, string[] schemes, string host, int port) =>
        schemes.Contains(target.Scheme, StringComparer.OrdinalIgnoreCase)
        && string.Equals(target.Host.Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
        && target.Port == port;
}
