namespace Aspire.Hosting;

internal static class IdentityStoreExtensions
{
    /// <summary>
    /// Where the issuer keeps its store. Under <c>dotnet run</c>: the embedded SQLite file, with
    /// nothing to install. Deployed: a PostgreSQL database (<c>identitydb</c>) that every replica of
    /// the issuer shares, with its tokens, revocations and keys; its password is a generated secret
    /// parameter, never a literal in the manifest (<see cref="SharedPostgresExtensions"/>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSharedStoreWhenPublished(this IResourceBuilder<ProjectResource> identity)
    {
        var builder = identity.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return identity;
        }

        var store = builder.GetSharedPostgres().AddDatabase("identitydb");
        return identity.WithReference(store).WaitFor(store);
    }
}
