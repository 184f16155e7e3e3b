using Benchmarks.Load.Processes;

namespace Benchmarks.Load.Reporting;

/// <summary>Benchmarks/results/: where a full run's figures are kept, in the repository.</summary>
internal static class ResultsFile
{
    /// <summary>The folder, relative to the repository's root.</summary>
    public const string RepositoryPath = "Benchmarks/results";

    public static string Write(string fileName, string markdown)
    {
        var directory = Path.Combine(ServiceBinaries.BenchmarksDirectory, "results");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, markdown);
        return path;
    }
}
