namespace Aspire.Hosting;

internal static class GrpcEndpointExtensions
{
    /// <summary>
    /// ProfileService's <c>grpc</c> endpoint (HTTP/2 without TLS, from its Kestrel settings) under
    /// <c>dotnet run</c> only. A deployment publishes its HTTP API alone: azd gives a container app one
    /// ingress, refusing bindings of mixed transports, and Kestrel cannot serve HTTP/1.1 and cleartext
    /// HTTP/2 on one port. Without the endpoint, its https binding takes the http one's port, as it
    /// would have had the service no gRPC endpoint at all.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGrpcEndpointWhenRun(this IResourceBuilder<ProjectResource> service)
    {
        if (!service.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return service;
        }

        var endpoints = service.Resource.Annotations.OfType<EndpointAnnotation>().ToList();
        service.Resource.Annotations.Remove(endpoints.Single(endpoint => endpoint.Name == "grpc"));
        var http = endpoints.Single(endpoint => endpoint.Name == "http");
        return service.WithEndpoint("https", https => https.TargetPort = http.TargetPort);
    }
}
