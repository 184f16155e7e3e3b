namespace Aspire.Hosting;

internal static class ApiReferenceExtensions
{
    /// <summary>
    /// Links the service's interactive API reference (Scalar, which the service serves in
    /// Development at /scalar/v1) from its resource in the dashboard. Run mode only: a deployed
    /// service serves no reference.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithApiReferenceUrl(this IResourceBuilder<ProjectResource> project) =>
        project.ApplicationBuilder.ExecutionContext.IsRunMode
            ? project.WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = "/scalar/v1", DisplayText = "API reference" })
            : project;
}
