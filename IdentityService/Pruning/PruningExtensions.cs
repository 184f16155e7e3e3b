namespace IdentityService.Pruning;

internal static class PruningExtensions
{
    /// <summary>Keeps the store bounded: pruned on a schedule (<see cref="StorePruningService"/>) and on demand.</summary>
    public static IHostApplicationBuilder AddStorePruning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<StorePruner>();
        builder.Services.AddHostedService<StorePruningService>();
        return builder;
    }

    /// <summary>POST /admin/store/prune: prunes now, and answers what was removed.</summary>
    public static RouteGroupBuilder MapStorePruning(this RouteGroupBuilder admin)
    {
        admin.MapPost("store/prune", (StorePruner pruner, CancellationToken cancellationToken) => pruner.PruneAsync(cancellationToken));
        return admin;
    }
}
