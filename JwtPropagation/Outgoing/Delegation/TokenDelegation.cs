using JwtPropagation.Telemetry;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace JwtPropagation.Outgoing;

/// <summary>Makes, keeps and ends delegations at the issuer this service exchanges tokens with.</summary>
internal sealed class TokenDelegation(
    TokenExchangeClient exchangeClient,
    IDataProtectionProvider dataProtection) : ITokenDelegation
{
    // Names what is protected, so no other protected payload of this application opens as a delegation.
    private readonly IDataProtector _protector = dataProtection.CreateProtector("JwtPropagation.Delegation.v1");

    public async Task<Delegation> CaptureAsync(string audience, string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);

        var token = CallerTokenContext.Capture();
        using var activity = TokenTelemetry.ActivitySource.StartActivity("token delegation");
        activity?.SetTag(TokenTelemetry.Audience, audience);
        activity?.SetTag(TokenTelemetry.Fingerprint, token.Fingerprint);
        activity?.SetTag(TokenTelemetry.JobId, jobId);

        var delegation = await exchangeClient.DelegateAsync(token, ExchangeTarget.Create(audience, scopes: []), jobId, cancellationToken);
        activity?.SetTag(TokenTelemetry.DelegationFingerprint, delegation.Fingerprint);
        return delegation;
    }

    public string Protect(Delegation delegation)
    {
        ArgumentNullException.ThrowIfNull(delegation);
        var stored = new StoredDelegation(delegation.Value, delegation.Subject, delegation.Audience, delegation.Scope, delegation.JobId, delegation.ExpiresAt);
        return _protector.Protect(JsonSerializer.Serialize(stored));
    }

    public Delegation Unprotect(string protectedDelegation)
    {
        ArgumentException.ThrowIfNullOrEmpty(protectedDelegation);
        var stored = JsonSerializer.Deserialize<StoredDelegation>(_protector.Unprotect(protectedDelegation))
            ?? throw new InvalidOperationException("The protected delegation holds nothing.");
        return new Delegation(stored.Value, stored.Subject, stored.Audience, stored.Scope, stored.JobId, stored.ExpiresAt);
    }

    public async Task WithdrawAsync(Delegation delegation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delegation);
        using var activity = TokenTelemetry.ActivitySource.StartActivity("token delegation withdrawn");
        activity?.SetTag(TokenTelemetry.JobId, delegation.JobId);
        activity?.SetTag(TokenTelemetry.DelegationFingerprint, delegation.Fingerprint);
        await exchangeClient.RevokeAsync(delegation, cancellationToken);
    }

    private sealed record StoredDelegation(string Value, string? Subject, string Audience, string Scope, string JobId, DateTimeOffset ExpiresAt);
}
