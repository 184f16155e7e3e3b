using IdentityService.Settings;
using Microsoft.Extensions.Options;

namespace IdentityService.Pruning;

/// <summary>Prunes the store at start and then every <see cref="IdentityServerOptions.PruningInterval"/>.</summary>
internal sealed partial class StorePruningService(
    IServiceScopeFactory scopes,
    IOptions<IdentityServerOptions> settings,
    TimeProvider timeProvider,
    ILogger<StorePruningService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.PruningInterval, timeProvider);
        do
        {
            await PruneAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var pruned = await scope.ServiceProvider.GetRequiredService<StorePruner>().PruneAsync(cancellationToken);
            LogPruned(pruned.Tokens, pruned.Authorizations, pruned.SubjectRevocations, pruned.RevocationFeedLines, pruned.SignInSessions);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The next run tries again; nothing is lost by a run that failed.
            LogPruningFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Pruned the store: {Tokens} tokens, {Authorizations} authorizations, {SubjectRevocations} subject revocations, {RevocationFeedLines} revocation feed lines, {SignInSessions} sign-in sessions")]
    private partial void LogPruned(long tokens, long authorizations, int subjectRevocations, int revocationFeedLines, int signInSessions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the store failed; it is tried again at the next interval")]
    private partial void LogPruningFailed(Exception exception);
}
