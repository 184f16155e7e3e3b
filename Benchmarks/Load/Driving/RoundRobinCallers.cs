using System.Diagnostics.CodeAnalysis;

namespace Benchmarks.Load.Driving;

/// <summary>Users in turn, request after request, so concurrent requests are of different users.</summary>
internal sealed class RoundRobinCallers(Caller[] callers) : ICallerSource
{
    public bool TryGet(long sequence, [NotNullWhen(true)] out Caller? caller)
    {
        caller = callers[sequence % callers.Length];
        return true;
    }
}
