using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using JwtPropagation;
using Microsoft.Extensions.Options;
using Quartz;
using UserService.Profiles;
using UserService.Users;

namespace UserService.Exports;

/// <summary>
/// One export, run by the job engine on whichever replica takes it, as the user who asked for it:
/// its delegation stands for the user around the work, and only around it. A job run again after
/// its replica stopped mid-way records its end once (<see cref="ExportStore"/>). The delegation is
/// withdrawn when the job ends, whatever the result.
/// </summary>
internal sealed partial class ExportRun(
    IServiceScopeFactory scopeFactory,
    ITokenDelegation delegations,
    IOptions<ExportOptions> options,
    IOptions<TokenExchangeOptions> exchangeOptions,
    TimeProvider timeProvider,
    ILogger<ExportRun> logger) : IJob
{
    /// <summary>The jobs' group in the engine; each job is named by its export's id.</summary>
    public const string Group = "exports";

    /// <summary>The delegation the job acts with, protected (<see cref="ITokenDelegation.Protect"/>).</summary>
    public const string DelegationKey = "delegation";

    /// <summary>The W3C trace context of the request that queued the job, which the job's span links to.</summary>
    public const string QueuedByKey = "queued_by";

    private static readonly ActivitySource ActivitySource = new(typeof(ExportRun).Assembly.GetName().Name!);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var id = Guid.Parse(context.JobDetail.Key.Name);
        var data = context.MergedJobDataMap;

        using var activity = ActivitySource.StartActivity(
            ActivityKind.Internal,
            parentContext: default,
            tags: null,
            links: ActivityContext.TryParse(data.GetString(QueuedByKey), traceState: null, out var queuedBy) ? [new ActivityLink(queuedBy)] : null,
            name: "export run");
        activity?.SetTag(TokenTelemetry.JobId, id.ToString());
        activity?.SetTag(TokenTelemetry.ActorChain, exchangeOptions.Value.ClientId);
        activity?.SetTag("export.recovering", context.Recovering);

        await using var scope = scopeFactory.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ExportStore>();
        var export = await store.StartAsync(id, cancellationToken);
        if (!TryUnprotect(data.GetString(DelegationKey), out var delegation))
        {
            // Protected with keys this replica cannot read (keys lost, or another key encryption key): nothing to act with.
            LogDelegationUnreadable(id);
            if (export is not null)
            {
                await store.FailAsync(export, DelegationUnreadable, cancellationToken);
            }

            return;
        }

        activity?.SetTag(TokenTelemetry.DelegationFingerprint, delegation.Fingerprint);
        if (export is null)
        {
            // Ended already: its replica stopped after recording the end, before the engine knew.
            await WithdrawAsync(delegation);
            return;
        }

        try
        {
            if (timeProvider.GetUtcNow() > export.CreatedAt + options.Value.MaxDelegation)
            {
                await store.FailAsync(export, DelegationExpired, cancellationToken);
            }
            else
            {
                using (CallerTokenContext.Restore(delegation))
                {
                    var summary = await scope.ServiceProvider.GetRequiredService<UserSummaryReader>().ReadAsync(cancellationToken);
                    await store.SucceedAsync(export, summary, cancellationToken);
                }
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed job is recorded, not retried: the failure is the user's to read.
            var reason = ReasonOf(exception, delegation);
            LogJobFailed(id, reason, exception);
            await store.FailAsync(export, reason, cancellationToken);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
        }

        await WithdrawAsync(delegation);
    }

    private bool TryUnprotect(string? protectedDelegation, [NotNullWhen(true)] out Delegation? delegation)
    {
        try
        {
            delegation = protectedDelegation is null ? null : delegations.Unprotect(protectedDelegation);
        }
        catch (CryptographicException)
        {
            delegation = null;
        }

        return delegation is not null;
    }

    /// <summary>Why the job failed, as its owner reads it.</summary>
    private string ReasonOf(Exception exception, Delegation delegation) =>
        ProfileServiceFailure.From(exception) switch
        {
            // The issuer refuses a delegation that has ended: by its expiry, or because the user was revoked or it was withdrawn.
            { } failure when failure == ProfileServiceFailure.ExchangeRefused =>
                timeProvider.GetUtcNow() < delegation.ExpiresAt ? Revoked : DelegationExpired,
            { } failure => failure.Reason,
            null => "internal error",
        };

    private const string Revoked = "revoked";
    private const string DelegationExpired = "delegation expired";
    private const string DelegationUnreadable = "delegation unreadable";

    // Ending it is tidiness, not safety: unwithdrawn, it still ends at its expiry, and is useless without this service's credentials.
    private async Task WithdrawAsync(Delegation delegation)
    {
        try
        {
            await delegations.WithdrawAsync(delegation, CancellationToken.None);
        }
        catch (TokenExchangeException exception)
        {
            LogWithdrawFailed(delegation.JobId, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export job {JobId} failed: {Reason}")]
    private partial void LogJobFailed(Guid jobId, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The delegation of export job {JobId} cannot be opened with this service's Data Protection keys; the job fails")]
    private partial void LogDelegationUnreadable(Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The delegation of export job {JobId} could not be withdrawn; it ends at its expiry")]
    private partial void LogWithdrawFailed(string jobId, Exception exception);
}
