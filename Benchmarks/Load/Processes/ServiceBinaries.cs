using System.Reflection;

namespace Benchmarks.Load.Processes;

/// <summary>
/// Where the build put what the harness runs: the services' dlls (built with this project, in its
/// configuration) and this project's own folder. Benchmarks.csproj writes them as assembly metadata.
/// </summary>
internal static class ServiceBinaries
{
    public static string IdentityService => Dll(nameof(IdentityService));

    public static string ProfileService => Dll(nameof(ProfileService));

    public static string UserService => Dll(nameof(UserService));

    /// <summary>This assembly: it also serves the baseline services (<c>serve-baseline</c>).</summary>
    public static string Benchmarks => typeof(ServiceBinaries).Assembly.Location;

    public static string BenchmarksDirectory => Path.GetFullPath(Metadata("BenchmarksDirectory"));

    private static string Dll(string service)
    {
        var path = Path.GetFullPath(Metadata(service));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{service} is not built at {path}; build Benchmarks in the same configuration.", path);
    }

    private static string Metadata(string key) =>
        typeof(ServiceBinaries).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value
        ?? throw new InvalidOperationException($"Benchmarks.csproj names no '{key}'.");
}
