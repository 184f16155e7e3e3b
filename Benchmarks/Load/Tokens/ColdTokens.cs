using System.Diagnostics;
using Benchmarks.Load.Driving;

namespace Benchmarks.Load.Tokens;

/// <summary>
/// Access tokens no service has seen yet, minted before a cold phase (never during it) with refresh
/// grants: cheap for the issuer, unlike password grants. As many as fit in a time budget.
/// </summary>
internal static class ColdTokens
{
    // Refreshes under way at once. Each minter owns its users: a refresh token used twice would
    // revoke the user's whole grant, the warm chains' token with it.
    private const int Minters = 8;

    /// <returns>The callers, users interleaved, in the order they were minted.</returns>
    public static async Task<Caller[]> MintAsync(
        TokenClient tokens, IReadOnlyList<UserSession> sessions, TimeSpan budget, int cap, CancellationToken cancellationToken)
    {
        var minted = new Caller[cap];
        var count = 0;
        var started = Stopwatch.GetTimestamp();

        await Task.WhenAll(Enumerable.Range(0, Minters).Select(minter => Task.Run(async () =>
        {
            var owned = sessions.Where((_, index) => index % Minters == minter).ToArray();

            // The budget is checked between refreshes, never cancels one: a refresh cut short after the
            // issuer rotated the token would leave the session holding a used one.
            for (var turn = 0; owned.Length > 0 && Stopwatch.GetElapsedTime(started) < budget; turn++)
            {
                var session = owned[turn % owned.Length];
                var accessToken = await session.MintAsync(tokens, cancellationToken);

                var slot = Interlocked.Increment(ref count) - 1;
                if (slot >= cap)
                {
                    return;
                }
                minted[slot] = Caller.WithToken(session.UserId, accessToken);
            }
        }, cancellationToken)));

        return minted[..Math.Min(count, cap)];
    }
}
