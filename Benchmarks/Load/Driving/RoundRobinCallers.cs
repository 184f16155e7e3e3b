using System.Diagnostics.CodeAnalysis;

namespace Benchmarks.Load.Driving;

/// <summary>
/// Users in turn, request after request, so concurrent requests are of different users. A user's
/// caller can be swapped while the load runs (the soak brings in fresh tokens so).
/// </summary>
internal sealed class RoundRobinCallers(Caller[] callers) : ICallerSource
{
    public bool TryGet(long sequence, [NotNullWhen(true)] out Caller? caller)
    {
        caller = Volatile.Read(ref callers[sequence % callers.Length]);
        return true;
    }

    /// <summary>The callers as they are now, in turn order.</summary>
    public IReadOnlyList<Caller> Current => [.. Enumerable.Range(0, callers.Length).Select(index => Volatile.Read(ref callers[index]))];

    public void Replace(int index, Caller caller) => Volatile.Write(ref callers[index], caller);
}
