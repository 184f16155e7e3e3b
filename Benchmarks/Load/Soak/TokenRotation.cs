using Benchmarks.Load.Driving;
using Benchmarks.Load.Tokens;

namespace Benchmarks.Load.Soak;

/// <summary>
/// Brings new tokens into a running load: at a steady rate, the next user's token is replaced by a
/// fresh one (refresh grant), which both services then meet for the first time: validated, exchanged
/// and cached anew, so their caches keep taking new entries all along.
/// </summary>
internal sealed class TokenRotation(TokenClient tokens, IReadOnlyList<UserSession> sessions, RoundRobinCallers callers)
{
    private int _minted;

    public int Minted => Volatile.Read(ref _minted);

    /// <summary>Runs until <paramref name="stop"/>; a refresh under way is finished first, never cut short.</summary>
    public async Task RunAsync(int perSecond, CancellationToken stop, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        for (var turn = 0; ; turn++)
        {
            try
            {
                await timer.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            // One at a time: a refresh token used twice would revoke the user's whole grant.
            var index = turn % sessions.Count;
            var session = sessions[index];
            callers.Replace(index, Caller.WithToken(session.UserId, await session.MintAsync(tokens, cancellationToken)));
            Interlocked.Increment(ref _minted);
        }
    }
}
