using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

internal static class SharedPostgresExtensions
{
    /// <summary>
    /// The one PostgreSQL server of a deployment (<c>postgres</c>), made by whichever service asks
    /// first; each service keeps a database of its own on it. The data outlives the server's
    /// container: a volume, which azd provisions as a file share. Its password is a generated
    /// secret parameter, never a literal in the manifest.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> GetSharedPostgres(this IDistributedApplicationBuilder builder) =>
        builder.Resources.OfType<PostgresServerResource>().SingleOrDefault(server => server.Name == "postgres") is { } server
            ? builder.CreateResourceBuilder(server)
            : builder.AddPostgres("postgres").WithDataVolume();
}
