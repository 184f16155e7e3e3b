namespace Benchmarks.Load.Driving;

/// <summary>What sends a phase's requests and checks its answers: the harness's own driver, or wrk.</summary>
internal interface ILoadClient
{
    /// <summary>How the report names it.</summary>
    string Name { get; }

    Task<PhaseResult> RunAsync(Uri target, ICallerSource callers, TimeSpan duration, CancellationToken cancellationToken);
}
