using JwtPropagation;
using Microsoft.Extensions.Options;
using Quartz;
using UserService.Profiles;

namespace UserService.Exports;

/// <summary>
/// Queues an export: records it if the owner and the queue have room, obtains a delegation made for
/// the job (never keeping the caller's token), and hands it to the job engine with its delegation
/// protected. Nothing is left half-queued: a job the engine did not take is forgotten and its
/// delegation withdrawn.
/// </summary>
internal sealed class ExportQueue(
    ExportStore store,
    ITokenDelegation delegations,
    ISchedulerFactory schedulers,
    IOptions<ProfileServiceOptions> profileService)
{
    public async Task<(ExportJob? Job, ExportRefusal Refusal)> QueueAsync(string owner, CancellationToken cancellationToken)
    {
        var audience = profileService.Value.Audience ?? throw new InvalidOperationException(
            $"Exports act for their user at ProfileService by exchanged tokens: set {ProfileServiceClientExtensions.SectionName}:Mode to Exchange and its Audience.");

        // Its place is taken first: a refused caller costs the issuer nothing.
        var id = Guid.NewGuid();
        var (job, refusal) = await store.TryAddAsync(id, owner, cancellationToken);
        if (job is null)
        {
            return (null, refusal);
        }

        Delegation? delegation = null;
        try
        {
            delegation = await delegations.CaptureAsync(audience, id.ToString(), cancellationToken);
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var work = JobBuilder.Create<ExportRun>()
                .WithIdentity(id.ToString(), ExportRun.Group)
                .UsingJobData(ExportRun.DelegationKey, delegations.Protect(delegation))
                .UsingJobData(ExportRun.QueuedByKey, System.Diagnostics.Activity.Current?.Id ?? string.Empty)
                // Run again elsewhere if the replica running it stops: it records its end once.
                .RequestRecovery()
                .Build();
            await scheduler.ScheduleJob(work, TriggerBuilder.Create().ForJob(work).StartNow().Build(), cancellationToken: cancellationToken);
        }
        catch
        {
            await store.RemoveAsync(id, CancellationToken.None);
            if (delegation is not null)
            {
                await delegations.WithdrawAsync(delegation, CancellationToken.None);
            }

            throw;
        }

        return (job, ExportRefusal.None);
    }
}
