namespace Aspire.Hosting;

internal static class ForwardedHeadersExtensions
{
    /// <summary>
    /// Deployed, every request reaches the service through the platform's ingress (Azure Container
    /// Apps' Envoy), so the connection's address is the ingress's: the caller's is the one the
    /// ingress adds to <c>X-Forwarded-For</c>. The issuer counts its rate limits per caller address,
    /// so it reads that one: ASP.NET Core takes the last address, the one the nearest proxy added,
    /// never one a caller wrote itself. Under <c>dotnet run</c> Aspire's proxy adds none, and every
    /// caller is loopback.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCallerAddressFromIngressWhenPublished(this IResourceBuilder<ProjectResource> project) =>
        project.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? project.WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true")
            : project;
}
