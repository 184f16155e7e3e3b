namespace Benchmarks.Load.Reporting;

/// <summary>Where a run says what it is doing, as it goes.</summary>
internal static class Progress
{
    public static void Say(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
