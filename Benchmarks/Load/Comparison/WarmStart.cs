using Benchmarks.Load.Driving;

namespace Benchmarks.Load.Comparison;

/// <summary>What a fresh Exchange-mode pair did in its first seconds (<see cref="WarmStartProbe"/>).</summary>
internal sealed record WarmStart(TimeSpan UntilHealthy, PhaseResult Load, IReadOnlyList<(string Service, double Megabytes)> WorkingSets);
