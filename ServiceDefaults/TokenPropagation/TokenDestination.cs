using System.Net;
using Microsoft.Extensions.ServiceDiscovery;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The endpoints a client's token may be sent to: its configured destination, as service discovery
/// resolves it (exact scheme, host and port), and never over plain http off this machine unless the
/// network is marked trusted.
/// </summary>
internal sealed class TokenDestination(Uri destination, bool trustedInternalNetwork, ServiceEndpointResolver? resolver)
{
    public enum Verdict
    {
        Allowed,
        NotTheDestination,
        PlainHttpOffTheMachine,
    }

    // The destination as written (https+http://profileservice): what requests through the client are built on.
    private readonly string _authority = destination.GetLeftPart(UriPartial.Authority);

    public async ValueTask<Verdict> CheckAsync(Uri target, CancellationToken cancellationToken)
    {
        var endpoints = await ResolveAsync(cancellationToken);

        // A request on the destination goes wherever service discovery resolves it; any other
        // request only to one of those exact endpoints.
        var reached = string.Equals(target.GetLeftPart(UriPartial.Authority), _authority, StringComparison.OrdinalIgnoreCase)
            ? endpoints
            : endpoints.Where(endpoint => endpoint.Matches(target)).ToList();

        if (reached.Count == 0)
        {
            return Verdict.NotTheDestination;
        }

        return !trustedInternalNetwork && reached.Any(endpoint => endpoint.IsPlainHttpOffTheMachine)
            ? Verdict.PlainHttpOffTheMachine
            : Verdict.Allowed;
    }

    private async ValueTask<IReadOnlyList<Endpoint>> ResolveAsync(CancellationToken cancellationToken)
    {
        if (resolver is null)
        {
            return [new Endpoint(destination.Scheme, destination.Host, destination.Port)];
        }

        // Service discovery caches what it resolved, and watches it for changes.
        var source = await resolver.GetEndpointsAsync(_authority, cancellationToken);
        var schemes = destination.Scheme.Split('+');
        return [.. source.Endpoints.SelectMany(endpoint => endpoint.EndPoint switch
        {
            UriEndPoint { Uri: var uri } => [new Endpoint(uri.Scheme, uri.Host, uri.Port)],
            DnsEndPoint dns => schemes.Select(scheme => new Endpoint(scheme, dns.Host, dns.Port)),
            IPEndPoint ip => schemes.Select(scheme => new Endpoint(scheme, ip.Address.ToString(), ip.Port)),
            _ => [],
        })];
    }

    private sealed record Endpoint(string Scheme, string Host, int Port)
    {
        public bool Matches(Uri target) =>
            string.Equals(target.Scheme, Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(target.Host.Trim('[', ']'), Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            && target.Port == Port;

        public bool IsPlainHttpOffTheMachine =>
            string.Equals(Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase)
            && !(IPAddress.TryParse(Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}
