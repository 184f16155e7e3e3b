using IdentityService.Settings;
using Microsoft.Extensions.Options;

namespace IdentityService.Keys;

/// <summary>
/// Keeps the signing keys on schedule: refreshes them when the schedule next changes (a key
/// activates or retires, a new one is due), when a rotation is asked for, and at least every
/// <see cref="SigningKeyOptions.ReloadInterval"/> for keys another instance wrote.
/// </summary>
internal sealed partial class SigningKeyRotationService(
    SigningKeyRotation rotation,
    IOptions<IdentityServerOptions> settings,
    TimeProvider timeProvider,
    ILogger<SigningKeyRotationService> logger) : BackgroundService
{
    // Timers may fire a little early; this keeps a wake-up before a change from spinning.
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var rotated = rotation.Rotated;
            var wait = settings.Value.SigningKeys.ReloadInterval;
            try
            {
                var schedule = await rotation.RefreshAsync(stoppingToken);
                if (schedule.NextChangeAt - timeProvider.GetUtcNow().UtcDateTime is { } untilChange && untilChange < wait)
                {
                    wait = untilChange > ShortestWait ? untilChange : ShortestWait;
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The keys in use stay in use; the next refresh tries again.
                LogRefreshFailed(exception, wait);
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, rotated);
            try
            {
                await Task.Delay(wait, timeProvider, wake.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // A rotation was asked for: its key activates on a schedule of its own.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the signing keys failed; tried again in {Wait}")]
    private partial void LogRefreshFailed(Exception exception, TimeSpan wait);
}
