using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// Names an OpenID Connect issuer that is not one of the app's projects (<see cref="AddTokenIssuer(IDistributedApplicationBuilder, string, string)"/>)
/// and what its tokens look like (<see cref="WithAudience(IResourceBuilder{TokenIssuerResource}, string)"/>,
/// <see cref="WithAlgorithms"/>, <see cref="WithTokenTypes"/>, ...), for services to trust with
/// <see cref="TokenPropagationResourceBuilderExtensions.WithTokenValidation{T}(IResourceBuilder{T}, IResourceBuilder{TokenIssuerResource})"/>.
/// Nothing is run for it; it publishes no revocation feed unless given one.
/// </summary>
public static class TokenIssuerResourceBuilderExtensions
{
    /// <summary>An issuer at a fixed URL, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public static IResourceBuilder<TokenIssuerResource> AddTokenIssuer(this IDistributedApplicationBuilder builder, string name, string authority)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authority);
        return builder.AddTokenIssuer(name, new Uri(authority, UriKind.Absolute));
    }

    /// <summary>An issuer at a fixed URL.</summary>
    public static IResourceBuilder<TokenIssuerResource> AddTokenIssuer(this IDistributedApplicationBuilder builder, string name, Uri authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (!authority.IsAbsoluteUri)
        {
            throw new ArgumentException($"The authority must be an absolute URI, got '{authority}'.", nameof(authority));
        }

        return builder.AddTokenIssuer(name, ReferenceExpression.Create($"{authority.OriginalString}"));
    }

    /// <summary>An issuer whose URL is given at deploy time (or in the AppHost's configuration, <c>Parameters:{name}</c>).</summary>
    public static IResourceBuilder<TokenIssuerResource> AddTokenIssuer(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return builder.AddTokenIssuer(name, ReferenceExpression.Create($"{authority}"));
    }

    /// <summary>
    /// An issuer served at an endpoint of a resource of the app (a container or an executable):
    /// services that trust it wait for that resource.
    /// </summary>
    public static IResourceBuilder<TokenIssuerResource> AddTokenIssuer(this IDistributedApplicationBuilder builder, string name, EndpointReference authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return builder.AddTokenIssuer(name, ReferenceExpression.Create($"{authority}"));
    }

    /// <summary>
    /// An issuer at the URL <paramref name="authority"/> evaluates to: services that trust it wait
    /// for the resources whose endpoints it names.
    /// </summary>
    public static IResourceBuilder<TokenIssuerResource> AddTokenIssuer(this IDistributedApplicationBuilder builder, string name, ReferenceExpression authority)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(authority);
        return builder.AddResource(new TokenIssuerResource(name, authority))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "TokenIssuer",
                State = KnownResourceStates.Running,
                Properties = [],
            })
            .ExcludeFromManifest();
    }

    /// <summary>The <c>iss</c> the issuer's tokens carry, when it is not the one its metadata names (<c>JwtValidation:Issuer</c>).</summary>
    public static IResourceBuilder<TokenIssuerResource> WithIssuer(this IResourceBuilder<TokenIssuerResource> issuer, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return issuer.WithIssuer(ReferenceExpression.Create($"{value}"));
    }

    /// <summary>The <c>iss</c> the issuer's tokens carry, e.g. the authority's own endpoint (<c>JwtValidation:Issuer</c>).</summary>
    public static IResourceBuilder<TokenIssuerResource> WithIssuer(this IResourceBuilder<TokenIssuerResource> issuer, ReferenceExpression value)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(value);
        issuer.Resource.Issuer = value;
        return issuer;
    }

    /// <summary>
    /// The audience the issuer's tokens carry for the services that trust it (<c>JwtValidation:Audience</c>),
    /// e.g. an Entra ID application ID URI; a service may be given its own in <c>WithTokenValidation</c>.
    /// </summary>
    public static IResourceBuilder<TokenIssuerResource> WithAudience(this IResourceBuilder<TokenIssuerResource> issuer, string audience)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        return issuer.WithAudience(ReferenceExpression.Create($"{audience}"));
    }

    /// <summary>The audience the issuer's tokens carry, given at deploy time.</summary>
    public static IResourceBuilder<TokenIssuerResource> WithAudience(this IResourceBuilder<TokenIssuerResource> issuer, IResourceBuilder<ParameterResource> audience)
    {
        ArgumentNullException.ThrowIfNull(audience);
        return issuer.WithAudience(ReferenceExpression.Create($"{audience}"));
    }

    private static IResourceBuilder<TokenIssuerResource> WithAudience(this IResourceBuilder<TokenIssuerResource> issuer, ReferenceExpression audience)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        issuer.Resource.Audience = audience;
        return issuer;
    }

    /// <summary>The only signing algorithms accepted (<c>JwtValidation:ValidAlgorithms</c>; RS256 unless named).</summary>
    public static IResourceBuilder<TokenIssuerResource> WithAlgorithms(this IResourceBuilder<TokenIssuerResource> issuer, params string[] algorithms)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        issuer.Resource.Algorithms = NonEmpty(algorithms, nameof(algorithms));
        return issuer;
    }

    /// <summary>
    /// The token types (<c>typ</c>) of the issuer's access tokens (<c>JwtValidation:TokenTypes</c>;
    /// <c>at+jwt</c> unless named): <c>JWT</c> for Entra ID and Keycloak.
    /// </summary>
    public static IResourceBuilder<TokenIssuerResource> WithTokenTypes(this IResourceBuilder<TokenIssuerResource> issuer, params string[] tokenTypes)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        issuer.Resource.TokenTypes = NonEmpty(tokenTypes, nameof(tokenTypes));
        return issuer;
    }

    /// <summary>The claim the issuer's tokens hold their scopes in (<c>JwtValidation:ScopeClaim</c>): <c>scp</c> for Entra ID.</summary>
    public static IResourceBuilder<TokenIssuerResource> WithScopeClaim(this IResourceBuilder<TokenIssuerResource> issuer, string claim)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        issuer.Resource.ScopeClaim = claim;
        return issuer;
    }

    /// <summary>
    /// The issuer publishes a revocation feed in JwtPropagation's format at <paramref name="feed"/>,
    /// its user names keyed with <paramref name="key"/> (at least 32 characters, shared with the
    /// issuer): services that trust it read the feed, and refuse tokens until they have.
    /// </summary>
    public static IResourceBuilder<TokenIssuerResource> WithRevocationFeed(
        this IResourceBuilder<TokenIssuerResource> issuer,
        ReferenceExpression feed,
        IResourceBuilder<ParameterResource> key)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(key);
        issuer.Resource.RevocationFeed = feed;
        issuer.Resource.RevocationFeedKey = key.Resource;
        return issuer;
    }

    private static string[] NonEmpty(string[] values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length == 0 || values.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one, and no empty one.", name);
        }

        return [.. values];
    }
}
