using System.Diagnostics.CodeAnalysis;

namespace Benchmarks.Load.Driving;

/// <summary>Each caller once, then no more: every request carries a token no service has seen.</summary>
internal sealed class OneShotCallers(ArraySegment<Caller> callers) : ICallerSource
{
    /// <summary>A cold chain's phases: <paramref name="callers"/> shared out equally, the warm-up's share first, then each round's.</summary>
    public static Func<int, ICallerSource> SharedOut(ArraySegment<Caller> callers, int phases)
    {
        var share = callers.Count / phases;
        return phase => new OneShotCallers(callers.Slice(phase * share, share));
    }

    public bool TryGet(long sequence, [NotNullWhen(true)] out Caller? caller)
    {
        caller = sequence < callers.Count ? callers[(int)sequence] : null;
        return caller is not null;
    }
}
