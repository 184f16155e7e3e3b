using System.Net;
using Microsoft.Extensions.ServiceDiscovery;

namespace JwtPropagation.Outgoing;

/// <summary>
/// The endpoints a client's token may be sent to: its configured destination, as service discovery
/// resolves it (exact scheme, host and port), and never over plain http off this machine unless the
/// network is marked trusted. What a resolution allows is worked out once, when service discovery
/// hands out a new one, not on every call.
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
    private readonly string[] _schemes = destination.Scheme.Split('+');
    private Resolution? _resolution;

    public async ValueTask<Verdict> CheckAsync(Uri target, CancellationToken cancellationToken)
    {
        var resolution = await ResolveAsync(cancellationToken);

        // A request on the destination goes wherever service discovery resolves it; any other
        // request only to one of those exact endpoints.
        if (IsOnTheDestination(target))
        {
            return resolution.Verdict;
        }

        var reached = resolution.Endpoints.Where(endpoint => endpoint.Matches(target)).ToList();
        return Judge(reached);
    }

    private bool IsOnTheDestination(Uri target) =>
        target.Port == destination.Port
        && string.Equals(target.Scheme, destination.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(target.IdnHost, destination.IdnHost, StringComparison.OrdinalIgnoreCase);

    private Verdict Judge(IReadOnlyCollection<Endpoint> reached) =>
        reached.Count == 0 ? Verdict.NotTheDestination
        : !trustedInternalNetwork && reached.Any(endpoint => endpoint.IsPlainHttpOffTheMachine) ? Verdict.PlainHttpOffTheMachine
        : Verdict.Allowed;

    private async ValueTask<Resolution> ResolveAsync(CancellationToken cancellationToken)
    {
        if (resolver is null)
        {
            return _resolution ??= Resolve(source: null, [new Endpoint(destination.Scheme, destination.Host, destination.Port)]);
        }

        // Service discovery caches what it resolved, and hands out a new source when it changes.
        var source = await resolver.GetEndpointsAsync(_authority, cancellationToken);
        var resolution = _resolution;
        if (resolution is null || !ReferenceEquals(resolution.Source, source))
        {
            _resolution = resolution = Resolve(source, [.. source.Endpoints.SelectMany(endpoint => endpoint.EndPoint switch
            {
                UriEndPoint { Uri: var uri } => [new Endpoint(uri.Scheme, uri.Host, uri.Port)],
                DnsEndPoint dns => _schemes.Select(scheme => new Endpoint(scheme, dns.Host, dns.Port)),
                IPEndPoint ip => _schemes.Select(scheme => new Endpoint(scheme, ip.Address.ToString(), ip.Port)),
                _ => [],
            })]);
        }

        return resolution;
    }

    private Resolution Resolve(ServiceEndpointSource? source, IReadOnlyList<Endpoint> endpoints) => new(source, endpoints, Judge(endpoints));

    /// <summary>One resolution of the destination, and what it allows for requests on the destination itself.</summary>
    private sealed record Resolution(ServiceEndpointSource? Source, IReadOnlyList<Endpoint> Endpoints, Verdict Verdict);

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
