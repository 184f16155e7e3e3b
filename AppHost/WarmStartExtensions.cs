namespace Aspire.Hosting;

internal static class WarmStartExtensions
{
    /// <summary>
    /// A new instance (a restart, a replica added under load) serves at full speed within seconds.
    /// The runtime promotes hot methods to optimized code only after 100 ms in which nothing new was
    /// compiled; a service taking traffic compiles new methods for seconds, so its hot path ran
    /// unoptimized all that time (at 0.4-0.6 of its steady speed until second 6 on two cores). With
    /// no delay it is near full speed from second 3 (Benchmarks/results/latest.md, "Warm start").
    /// An environment variable: the runtime reads this setting from nowhere else.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithQuickTierUp(this IResourceBuilder<ProjectResource> project) =>
        project.WithEnvironment("DOTNET_TC_CallCountingDelayMs", "0");
}
