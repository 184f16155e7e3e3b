using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// Wires services to the issuer in the app model: where they find it and what they expect of its
/// tokens (<see cref="WithTokenValidation"/>), and which may exchange their callers' tokens
/// (<see cref="WithTokenExchange"/>). The settings they set are the ones JwtPropagation's
/// <c>AddJwtBearerAuthentication</c> and <c>AddTokenPropagation</c> read.
/// </summary>
public static class TokenPropagationResourceBuilderExtensions
{
    /// <summary>
    /// Lets a service validate tokens of <paramref name="identity"/>, an issuer of the app's own
    /// (the sample's OpenIddict IdentityService, or one serving the same settings): it finds the
    /// issuer's metadata and revocation feed through service discovery, expects
    /// <paramref name="issuer"/> in every token, and waits for the issuer. Locally the issuer is
    /// reached over plain http on loopback; deployed, over https only (no fallback to http, and the
    /// service then refuses metadata or keys offered over http). Called again, the last issuer wins.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTokenValidation(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ProjectResource> identity,
        ReferenceExpression issuer)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(issuer);
        var feedKey = RevocationFeedKey(service.ApplicationBuilder);
        identity.WithEnvironment("IdentityServer__RevocationFeedKey", feedKey);
        var authority = service.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? $"https://{identity.Resource.Name}"
            : $"https+http://{identity.Resource.Name}";

        // Described as any other issuer, but not added to the model: the project is the resource.
        var ownIssuer = new TokenIssuerResource(identity.Resource.Name, ReferenceExpression.Create($"{authority}"))
        {
            Issuer = issuer,
            RevocationFeed = ReferenceExpression.Create($"{authority}/revocations"),
            RevocationFeedKey = feedKey.Resource,
        };

        return service
            .WithReference(identity)
            .WaitFor(identity)
            .WithIssuerSettings(ownIssuer, audience: null);
    }

    /// <summary>
    /// Lets a service validate tokens of <paramref name="issuer"/>, any OpenID Connect issuer
    /// (<see cref="TokenIssuerResourceBuilderExtensions.AddTokenIssuer(IDistributedApplicationBuilder, string, string)"/>):
    /// its authority, the issuer value, audience, algorithms, token types and scope claim it was
    /// given, and its revocation feed only if it was given one. The service waits for the resources
    /// serving the issuer's endpoint, if any. Called again, the last issuer wins.
    /// </summary>
    /// <param name="service">The service that validates the tokens it receives.</param>
    /// <param name="issuer">The issuer it trusts.</param>
    /// <param name="audience">The audience the issuer gives this service's tokens, in place of the issuer's own (<see cref="TokenIssuerResource.Audience"/>).</param>
    public static IResourceBuilder<T> WithTokenValidation<T>(
        this IResourceBuilder<T> service,
        IResourceBuilder<TokenIssuerResource> issuer,
        string audience)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        return service.TrustIssuer(issuer, ReferenceExpression.Create($"{audience}"));
    }

    /// <summary>
    /// Lets a service validate tokens of <paramref name="issuer"/> for the issuer's audience
    /// (<see cref="TokenIssuerResource.Audience"/>) or, without one, the name the service gives itself.
    /// </summary>
    public static IResourceBuilder<T> WithTokenValidation<T>(
        this IResourceBuilder<T> service,
        IResourceBuilder<TokenIssuerResource> issuer)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport =>
        service.TrustIssuer(issuer, audience: null);

    private static IResourceBuilder<T> TrustIssuer<T>(
        this IResourceBuilder<T> service,
        IResourceBuilder<TokenIssuerResource> issuer,
        ReferenceExpression? audience)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(issuer);
        foreach (var dependency in issuer.Resource.Dependencies)
        {
            service.WaitFor(service.ApplicationBuilder.CreateResourceBuilder(dependency));
        }

        return service.WithIssuerSettings(issuer.Resource, audience);
    }

    /// <summary>
    /// Records which issuer the service trusts, replacing any it trusted before, and, the first
    /// time, sets its <c>JwtValidation__*</c> environment from the last one recorded: a test or a
    /// consumer may point a service wired by an app host at another issuer, and none of the first
    /// issuer's settings (its revocation feed above all) stays behind.
    /// </summary>
    private static IResourceBuilder<T> WithIssuerSettings<T>(this IResourceBuilder<T> service, TokenIssuerResource issuer, ReferenceExpression? audience)
        where T : IResourceWithEnvironment
    {
        var first = !service.Resource.Annotations.OfType<TokenValidationAnnotation>().Any();
        service.WithAnnotation(new TokenValidationAnnotation(issuer, audience), ResourceAnnotationMutationBehavior.Replace);
        if (!first)
        {
            return service;
        }

        return service.WithEnvironment(context =>
        {
            var trusted = service.Resource.Annotations.OfType<TokenValidationAnnotation>().Last();
            var settings = trusted.Issuer;
            var environment = context.EnvironmentVariables;
            environment["JwtValidation__Authority"] = settings.Authority;
            if (settings.RevocationFeed is { } feed && settings.RevocationFeedKey is { } key)
            {
                environment["JwtValidation__RevocationFeed"] = feed;
                environment["JwtValidation__RevocationFeedKey"] = key;
            }

            if (settings.Issuer is { } issuerValue)
            {
                environment["JwtValidation__Issuer"] = issuerValue;
            }

            if ((trusted.Audience ?? settings.Audience) is { } audienceValue)
            {
                environment["JwtValidation__Audience"] = audienceValue;
            }

            for (var index = 0; index < settings.Algorithms.Count; index++)
            {
                environment[$"JwtValidation__ValidAlgorithms__{index}"] = settings.Algorithms[index];
            }

            for (var index = 0; index < settings.TokenTypes.Count; index++)
            {
                environment[$"JwtValidation__TokenTypes__{index}"] = settings.TokenTypes[index];
            }

            if (settings.ScopeClaim is { } scopeClaim)
            {
                environment["JwtValidation__ScopeClaim"] = scopeClaim;
            }
        });
    }

    /// <summary>
    /// The secret the issuer keys the revocation feed's user names with, and the services match
    /// them with: one for the whole app, generated on first run and kept in the AppHost's user
    /// secrets like the client secrets; deployments generate their own.
    /// </summary>
    private static IResourceBuilder<ParameterResource> RevocationFeedKey(IDistributedApplicationBuilder builder)
    {
        const string name = "revocation-feed-key";
        return builder.Resources.OfType<ParameterResource>().SingleOrDefault(parameter => parameter.Name == name) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
    }

    /// <summary>
    /// Registers <paramref name="service"/> at <paramref name="identity"/> as a confidential client
    /// that may exchange its callers' tokens for the <paramref name="audiences"/> (RFC 8693). Its
    /// secret is generated on first run and kept in the AppHost's user secrets, never in a file
    /// of the repository; deployments generate their own.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTokenExchange(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ProjectResource> identity,
        IReadOnlyList<IResourceBuilder<ProjectResource>> audiences)
    {
        var clientId = service.Resource.Name;
        var secret = service.ApplicationBuilder.AddParameter(
            $"{clientId}-client-secret",
            new GenerateParameterDefault { MinLength = 32, Special = false },
            secret: true,
            persist: true);

        var client = $"IdentityServer__ServiceClients__{clientId}";
        identity.WithEnvironment($"{client}__Secret", secret);
        for (var index = 0; index < audiences.Count; index++)
        {
            identity.WithEnvironment($"{client}__Audiences__{index}", audiences[index].Resource.Name);
        }

        return service
            .WithEnvironment("TokenExchange__ClientId", clientId)
            .WithEnvironment("TokenExchange__ClientSecret", secret);
    }

    /// <summary>
    /// Lets <paramref name="service"/> exchange its callers' tokens (RFC 8693) at
    /// <paramref name="issuer"/>, an issuer outside the app that its owner registered the service
    /// at as the confidential client <paramref name="clientId"/>, with the secret given at deploy
    /// time (<paramref name="clientSecret"/>). The service must trust that issuer
    /// (<see cref="WithTokenValidation{T}(IResourceBuilder{T}, IResourceBuilder{TokenIssuerResource})"/> first):
    /// it finds the token endpoint in the issuer's metadata.
    /// </summary>
    public static IResourceBuilder<T> WithTokenExchange<T>(
        this IResourceBuilder<T> service,
        IResourceBuilder<TokenIssuerResource> issuer,
        string clientId,
        IResourceBuilder<ParameterResource> clientSecret)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentNullException.ThrowIfNull(clientSecret);
        if (service.Resource.Annotations.OfType<TokenValidationAnnotation>().LastOrDefault()?.Issuer != issuer.Resource)
        {
            throw new InvalidOperationException(
                $"'{service.Resource.Name}' exchanges tokens at '{issuer.Resource.Name}' but does not trust it: call WithTokenValidation(issuer) first.");
        }

        return service
            .WithEnvironment("TokenExchange__ClientId", clientId)
            .WithEnvironment("TokenExchange__ClientSecret", clientSecret);
    }

    /// <summary>
    /// Lets <paramref name="service"/>, a client of <paramref name="identity"/> through
    /// <see cref="WithTokenExchange"/>, obtain delegations for work that outlives its callers'
    /// requests, each for one job and living at most <paramref name="maxDelegation"/>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTokenDelegation(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ProjectResource> identity,
        TimeSpan maxDelegation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxDelegation, TimeSpan.Zero);
        identity.WithEnvironment(
            $"IdentityServer__ServiceClients__{service.Resource.Name}__MaxDelegation", maxDelegation.ToString("c", CultureInfo.InvariantCulture));
        return service;
    }
}
