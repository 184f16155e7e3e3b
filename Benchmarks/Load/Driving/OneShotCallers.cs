using System.Diagnostics.CodeAnalysis;

namespace Benchmarks.Load.Driving;

/// <summary>Each caller once, then no more: every request carries a token no service has seen.</summary>
internal sealed class OneShotCallers(ArraySegment<Caller> callers) : ICallerSource
{
    public bool TryGet(long sequence, [NotNullWhen(true)] out Caller? caller)
    {
        caller = sequence < callers.Count ? callers[(int)sequence] : null;
        return caller is not null;
    }
}
