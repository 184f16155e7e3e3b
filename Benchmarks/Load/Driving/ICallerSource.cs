using System.Diagnostics.CodeAnalysis;

namespace Benchmarks.Load.Driving;

/// <summary>Who makes each request of a phase.</summary>
internal interface ICallerSource
{
    /// <summary>The caller of the phase's request number <paramref name="sequence"/>; false when there is none left.</summary>
    bool TryGet(long sequence, [NotNullWhen(true)] out Caller? caller);
}
