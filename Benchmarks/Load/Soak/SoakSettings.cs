namespace Benchmarks.Load.Soak;

/// <summary>How long and how hard the soak runs.</summary>
/// <param name="NewTokensPerSecond">Fresh tokens brought into the load, one user's at a time.</param>
internal sealed record SoakSettings(
    TimeSpan Duration, int Users, int Concurrency, TimeSpan WarmUp, TimeSpan SampleEvery, int NewTokensPerSecond)
{
    /// <summary>`load --long`: ten minutes; writes results/soak.md.</summary>
    public static readonly SoakSettings Full = new(
        Duration: TimeSpan.FromMinutes(10), Users: 200, Concurrency: 32, WarmUp: TimeSpan.FromSeconds(5),
        SampleEvery: TimeSpan.FromSeconds(10), NewTokensPerSecond: 20);

    /// <summary>Only the full soak is kept; a shortened one (--duration) is a check, and prints only.</summary>
    public bool WritesResults => Duration == Full.Duration;
}
