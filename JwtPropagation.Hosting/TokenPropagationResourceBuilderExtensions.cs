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
    /// Lets a service validate tokens of <paramref name="identity"/>: it finds the issuer's metadata
    /// and revocation feed through service discovery and expects <paramref name="issuer"/> in every token.
    /// Locally the issuer is reached over plain http on loopback; deployed, over https only (no
    /// fallback to http, and the service then refuses metadata or keys offered over http).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTokenValidation(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ProjectResource> identity,
        ReferenceExpression issuer)
    {
        var feedKey = RevocationFeedKey(service.ApplicationBuilder);
        identity.WithEnvironment("IdentityServer__RevocationFeedKey", feedKey);
        var authority = service.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? $"https://{identity.Resource.Name}"
            : $"https+http://{identity.Resource.Name}";

        return service
            .WithReference(identity)
            .WaitFor(identity)
            .WithEnvironment("JwtValidation__Authority", authority)
            .WithEnvironment("JwtValidation__RevocationFeed", $"{authority}/revocations")
            .WithEnvironment("JwtValidation__RevocationFeedKey", feedKey)
            .WithEnvironment("JwtValidation__Issuer", issuer);
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
