namespace Aspire.Hosting;

internal static class TokenValidationExtensions
{
    /// <summary>
    /// Lets a service validate tokens of <paramref name="identity"/>: it finds the issuer's metadata
    /// through service discovery and expects <paramref name="issuer"/> in every token.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTokenValidation(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ProjectResource> identity,
        ReferenceExpression issuer) =>
        service
            .WithReference(identity)
            .WaitFor(identity)
            .WithEnvironment("Authentication__Authority", $"https+http://{identity.Resource.Name}")
            .WithEnvironment("Authentication__Issuer", issuer);
}
