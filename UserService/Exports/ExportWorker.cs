using JwtPropagation;
using Microsoft.Extensions.Options;
using UserService.Profiles;
using UserService.Users;

namespace UserService.Exports;

/// <summary>
/// Runs queued exports in the background, each as the user who asked for it: the token captured
/// from their request is restored around the job, and only around it.
/// </summary>
internal sealed partial class ExportWorker(
    ExportQueue queue,
    IServiceScopeFactory scopeFactory,
    IOptions<ExportOptions> options,
    ILogger<ExportWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(
            queue.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = stoppingToken },
            RunAsync);

    private async ValueTask RunAsync(ExportWorkItem item, CancellationToken cancellationToken)
    {
        queue.Start(item.JobId);
        try
        {
            using (AccessTokenContext.Restore(item.Token))
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var summary = await scope.ServiceProvider.GetRequiredService<UserSummaryReader>().ReadAsync(cancellationToken);
                queue.Succeed(item.JobId, summary);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // One failed job must not stop the worker: record why, and go on with the next.
            var reason = ProfileServiceFailure.From(exception)?.Reason ?? "internal error";
            LogJobFailed(item.JobId, reason, exception);
            queue.Fail(item.JobId, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export job {JobId} failed: {Reason}")]
    private partial void LogJobFailed(Guid jobId, string reason, Exception exception);
}
