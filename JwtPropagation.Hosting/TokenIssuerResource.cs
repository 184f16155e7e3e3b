namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// An OpenID Connect issuer the app's services accept tokens of, named in the app model but not run
/// by it: Entra ID, Keycloak, Auth0, an issuer given at deploy time, or a process of the app that is
/// not a .NET project (oidc-provider in the tests). It holds what a service is told about the issuer
/// by <see cref="TokenPropagationResourceBuilderExtensions.WithTokenValidation{T}(IResourceBuilder{T}, IResourceBuilder{TokenIssuerResource})"/>;
/// made by <see cref="TokenIssuerResourceBuilderExtensions.AddTokenIssuer(IDistributedApplicationBuilder, string, string)"/>
/// and its overloads.
/// </summary>
/// <param name="name">The resource's name in the app model.</param>
/// <param name="authority">Where the issuer's metadata is found (<c>JwtValidation:Authority</c>).</param>
public sealed class TokenIssuerResource(string name, ReferenceExpression authority) : Resource(name)
{
    /// <summary>Where the issuer's metadata (<c>/.well-known/openid-configuration</c>) and so its keys are found.</summary>
    public ReferenceExpression Authority { get; } = authority ?? throw new ArgumentNullException(nameof(authority));

    /// <summary>The <c>iss</c> its tokens carry; none means the issuer its metadata names.</summary>
    public ReferenceExpression? Issuer { get; internal set; }

    /// <summary>The audience its tokens carry for the services, unless a service is given its own; none means each service's own name.</summary>
    public ReferenceExpression? Audience { get; internal set; }

    /// <summary>The signing algorithms its tokens use; none means RS256.</summary>
    public IReadOnlyList<string> Algorithms { get; internal set; } = [];

    /// <summary>The token types (JOSE header <c>typ</c>) of its access tokens; none means <c>at+jwt</c>.</summary>
    public IReadOnlyList<string> TokenTypes { get; internal set; } = [];

    /// <summary>The claim its tokens hold their scopes in; none means <c>scope</c>.</summary>
    public string? ScopeClaim { get; internal set; }

    /// <summary>Its revocation feed, if it publishes one: most issuers do not.</summary>
    public ReferenceExpression? RevocationFeed { get; internal set; }

    /// <summary>The key the feed's user names are keyed with, shared with the issuer; set with <see cref="RevocationFeed"/>.</summary>
    public ParameterResource? RevocationFeedKey { get; internal set; }

    /// <summary>The resources a service waits for before it starts: those behind the authority's endpoints, if any.</summary>
    internal IEnumerable<IResource> Dependencies =>
        Authority.ValueProviders.OfType<EndpointReference>().Select(endpoint => (IResource)endpoint.Resource).Distinct();
}
