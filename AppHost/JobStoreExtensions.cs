namespace Aspire.Hosting;

internal static class JobStoreExtensions
{
    /// <summary>
    /// Where UserService keeps its export jobs. Under <c>dotnet run</c>: an SQLite file, with nothing
    /// to install, for its one instance. Deployed: a PostgreSQL database of its own (<c>jobsdb</c>)
    /// on the deployment's server, which every replica shares: any replica answers any job, and
    /// takes over the jobs of one that stops.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithJobStoreWhenPublished(this IResourceBuilder<ProjectResource> service)
    {
        var builder = service.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return service;
        }

        var store = builder.GetSharedPostgres().AddDatabase("jobsdb");
        return service.WithReference(store).WaitFor(store);
    }
}
