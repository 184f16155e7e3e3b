using Benchmarks.Load.Driving;

namespace Benchmarks.Load.Soak;

/// <summary>One interval of the soak: its load, the fresh tokens so far, each service's working set at its end.</summary>
internal sealed record SoakSample(
    TimeSpan At, PhaseResult Load, int TokensMinted, IReadOnlyList<(string Service, double Megabytes)> WorkingSets);
