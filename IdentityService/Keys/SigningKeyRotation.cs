using IdentityService.Server;
using IdentityService.Settings;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace IdentityService.Keys;

/// <summary>
/// Carries out the signing key schedule against the store: writes the next key when it is due,
/// retires a key when an admin asks, deletes retired keys, and hands the result to the
/// <see cref="SigningKeyRing"/>. One at a time.
/// </summary>
internal sealed partial class SigningKeyRotation(
    IServiceScopeFactory scopes,
    SigningKeyRing ring,
    IOptions<IdentityServerOptions> settings,
    IOptionsMonitor<OpenIddictServerOptions> serverOptions,
    DataDirectory dataDirectory,
    TimeProvider timeProvider,
    ILogger<SigningKeyRotation> logger)
{
    // Where versions before the key rotation kept the one signing key.
    private const string LegacyKeyFileName = "signing-key.pem";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource _rotated = new();

    /// <summary>Cancelled when a rotation or retirement is asked for, so that the schedule is looked at again.</summary>
    public CancellationToken Rotated => _rotated.Token;

    /// <summary>
    /// Another instance of the issuer retired keys (the revocation feed lists them): if this one
    /// still holds any, it reads the keys again now rather than at its next reload.
    /// </summary>
    public void ReloadIfHeld(IEnumerable<string> retiredKeyIds)
    {
        if (ring.InSigningOrder.Any(key => retiredKeyIds.Contains(key.KeyId, StringComparer.Ordinal)))
        {
            WakeRotationService();
        }
    }

    /// <summary>Reads the keys again and carries out whatever the schedule says is due.</summary>
    public async Task<SigningKeySchedule> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return (await RefreshUnderGateAsync(rotateNow: false, cancellationToken)).Schedule;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Starts a rotation now: a new key is published at once and signs after the publish lead.
    /// Null when a rotation is already under way (its key is <see cref="SigningKeySchedule.Next"/>).
    /// </summary>
    public async Task<SigningKeyState?> RotateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (_, created) = await RefreshUnderGateAsync(rotateNow: true, cancellationToken);
            if (created is not null)
            {
                WakeRotationService();
            }

            return created;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Retires a key now, as if it had leaked: it stops signing (a fresh key signs in its place if it
    /// did), leaves the key set and verifies nothing more here; the revocation feed tells the services
    /// to refuse its tokens, and the issuer's other instances to read their keys again. Tokens the
    /// issuer made for itself with it (codes, refresh tokens) are refused too: those users sign in again.
    /// </summary>
    public async Task<SigningKeyRetirement> RetireAsync(string keyId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow().UtcDateTime;
            SigningKeyRetirement retirement;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<SigningKeyStore>();

                // This instance stops signing with the key and publishes its successor before the
                // store says it is retired: no one reads the retirement (the revocation feed, a
                // service reading the key set because of it) while the key set still lacks the successor.
                retirement = await store.RetireAsync(keyId, now, settings.Value.SigningKeys, keys => ring.Arrange(ScheduleAt(now, keys), keys), cancellationToken);
            }
            catch
            {
                // The keys as the store has them, whether or not the retirement was committed.
                await RefreshUnderGateAsync(rotateNow: false, CancellationToken.None);
                throw;
            }

            if (retirement.Outcome == RetirementOutcome.Retired)
            {
                WakeRotationService();
                LogKeyRetiredNow(keyId, ring.Schedule!.Active.Id);
            }

            return retirement;
        }
        finally
        {
            _gate.Release();
        }
    }

    private SigningKeySchedule ScheduleAt(DateTime now, IReadOnlyCollection<SigningKey> keys) => SigningKeySchedule.At(
        now, keys, settings.Value.SigningKeys, TokenLifetimes.Longest(serverOptions.CurrentValue), TokenLifetimes.CheckedAgainstKeySet(serverOptions.CurrentValue));

    private void WakeRotationService() => Interlocked.Exchange(ref _rotated, new CancellationTokenSource()).Cancel();

    /// <returns>The schedule now, and the key written, if one was.</returns>
    private async Task<(SigningKeySchedule Schedule, SigningKeyState? Created)> RefreshUnderGateAsync(bool rotateNow, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<SigningKeyStore>();
        var options = settings.Value.SigningKeys;
        var now = timeProvider.GetUtcNow().UtcDateTime;

        var keys = await store.ListAsync(cancellationToken);
        if (keys.Count == 0)
        {
            // The first key: this instance's, or the one another instance of the issuer wrote first.
            await CreateFirstKeyAsync(store, now, cancellationToken);
            keys = await store.ListAsync(cancellationToken);
        }

        // OpenIddict's lifetimes are read from its options, which need a key: the first time, arrange
        // them with none retired (none can be: a store's keys are only retired by a schedule).
        if (ring.Schedule is null)
        {
            ring.Arrange(SigningKeySchedule.At(now, keys, options, retention: null), keys);
        }

        var schedule = ScheduleAt(now, keys);
        SigningKey? created = null;
        if ((rotateNow && schedule.Next is null) || schedule.NewKeyDueAt <= now)
        {
            var activatesAt = rotateNow
                ? now + options.PublishLead
                : Max(schedule.Active.ActivatesAt + options.RotationPeriod, now + options.PublishLead);
            created = await store.CreateAsync(SigningKeyStore.LastWritten(keys), now, activatesAt, cancellationToken);
            if (created is not null)
            {
                LogKeyPublished(created.Id, activatesAt, rotateNow ? "on demand" : "on schedule");
            }

            // With the key another instance of the issuer wrote, if it was quicker.
            keys = await store.ListAsync(cancellationToken);
            schedule = ScheduleAt(now, keys);
        }

        if (schedule.Retired.Count > 0)
        {
            await store.DeleteAsync(schedule.Retired.Select(key => key.Id), cancellationToken);
            keys.RemoveAll(key => schedule.Retired.Any(retired => retired.Id == key.Id));
            LogKeysRetired(string.Join(", ", schedule.Retired.Select(key => key.Id)));
        }

        var previous = ring.Schedule?.Active.Id;
        ring.Arrange(schedule, keys);
        if (previous is not null && previous != schedule.Active.Id)
        {
            LogKeyActivated(schedule.Active.Id, previous);
        }

        return (schedule, created is null ? null : schedule.Held.Single(key => key.Id == created.Id));
    }

    private async Task CreateFirstKeyAsync(SigningKeyStore store, DateTime now, CancellationToken cancellationToken)
    {
        var legacyFile = dataDirectory.GetFilePath(LegacyKeyFileName);
        if (!File.Exists(legacyFile))
        {
            await store.CreateAsync(newest: null, now, activatesAt: now, cancellationToken);
            return;
        }

        // The key now lives in the store only: a private key left behind in a file is one more to guard.
        var imported = await store.ImportAsync(await File.ReadAllTextAsync(legacyFile, cancellationToken), now, cancellationToken);
        if (imported is not null)
        {
            File.Delete(legacyFile);
            LogLegacyKeyImported(imported.Id, legacyFile);
        }
    }

    private static DateTime Max(DateTime left, DateTime right) => left > right ? left : right;

    [LoggerMessage(Level = LogLevel.Information, Message = "Published signing key {KeyId} ({Reason}); it signs from {ActivatesAt:O}")]
    private partial void LogKeyPublished(string keyId, DateTime activatesAt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key {KeyId} signs now, in place of {PreviousKeyId}")]
    private partial void LogKeyActivated(string keyId, string previousKeyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retired signing key {KeyId} now, on demand; {ActiveKeyId} signs")]
    private partial void LogKeyRetiredNow(string keyId, string activeKeyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted signing keys {KeyIds}: every token they signed has expired")]
    private partial void LogKeysRetired(string keyIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved signing key {KeyId} from {File} into the store")]
    private partial void LogLegacyKeyImported(string keyId, string file);
}
