using Benchmarks.Load.Processes;

namespace Benchmarks.Load.Services;

/// <summary>
/// Which build of ProfileService and UserService a pair runs: this one (<see cref="ServiceBinaries"/>),
/// or another checkout's, built in the same configuration, to compare two commits in one window.
/// </summary>
internal sealed record ServiceBuild(string ProfileService, string UserService, string NameSuffix)
{
    public static ServiceBuild This => new(ServiceBinaries.ProfileService, ServiceBinaries.UserService, NameSuffix: "");

    /// <summary>The services built under <paramref name="checkout"/>, in the configuration this assembly was built in.</summary>
    public static ServiceBuild Of(string checkout) =>
        new(Dll(checkout, nameof(ProfileService)), Dll(checkout, nameof(UserService)), NameSuffix: "-other");

    private static string Dll(string checkout, string service)
    {
        // bin/Release/net10.0, as in this build.
        var thisBuild = Path.GetDirectoryName(service == nameof(ProfileService) ? ServiceBinaries.ProfileService : ServiceBinaries.UserService)!;
        var output = Path.GetRelativePath(Path.GetFullPath(Path.Combine(thisBuild, "..", "..", "..")), thisBuild);
        var path = Path.Combine(Path.GetFullPath(checkout), service, output, $"{service}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{service} is not built at {path}.", path);
    }
}
