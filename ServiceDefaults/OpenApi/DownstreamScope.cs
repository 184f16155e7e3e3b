using Microsoft.AspNetCore.Builder;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A scope the caller's token needs at a service the operation calls on the caller's behalf. That
/// service checks it, not this one; the OpenAPI document lists it beside this service's own.
/// </summary>
public sealed record DownstreamScope(string Scope);

public static class DownstreamScopeExtensions
{
    /// <summary>
    /// Documents that the operation calls another service with the caller's token, which needs
    /// <paramref name="scope"/> there (a 403 otherwise), and may answer 502 when that call fails.
    /// </summary>
    public static TBuilder WithDownstreamScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        return builder.WithMetadata(new DownstreamScope(scope));
    }
}
