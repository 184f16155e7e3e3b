namespace Benchmarks.Baseline;

/// <summary>
/// How a baseline caller names itself: a plain header, trusted as is. It stands where the real
/// services read the subject of a validated token, so the baseline does no token work at all.
/// </summary>
public static class CallerHeader
{
    public const string Name = "X-User-Id";
}
