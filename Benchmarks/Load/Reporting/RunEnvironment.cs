using System.Diagnostics;
using System.Runtime.InteropServices;
using Benchmarks.Load.Processes;

namespace Benchmarks.Load.Reporting;

/// <summary>Where and on what a run ran, for the head of its results.</summary>
internal sealed record RunEnvironment(DateTimeOffset Date, int Processors, string Runtime, string OperatingSystem, string Commit)
{
    public static RunEnvironment Capture() => new(
        DateTimeOffset.UtcNow,
        Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        GitCommit());

    public string ToMarkdown() =>
        $"""
        - date: {Date:yyyy-MM-dd HH:mm} UTC
        - machine: {Processors} processors, {Runtime}, {OperatingSystem}
        - commit: {Commit}
        """;

    /// <summary>
    /// The short commit, "+dirty" when the work tree has changes: which code the figures are of.
    /// Results files do not count: they are what a run writes, not what it measures.
    /// </summary>
    private static string GitCommit()
    {
        var repository = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(ServiceBinaries.BenchmarksDirectory))!;
        var commit = Git(repository, "rev-parse", "--short", "HEAD");
        if (string.IsNullOrEmpty(commit))
        {
            return "unknown";
        }

        var changes = Git(repository, "status", "--porcelain", "--", ".", $":(exclude){ResultsFile.RepositoryPath}");
        return string.IsNullOrEmpty(changes) ? commit : $"{commit}+dirty";
    }

    private static string Git(string repository, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git") { RedirectStandardOutput = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("-C");
        startInfo.ArgumentList.Add(repository);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var git = Process.Start(startInfo)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine.
            return "";
        }
    }
}
