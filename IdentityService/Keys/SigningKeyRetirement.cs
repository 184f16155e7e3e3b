namespace IdentityService.Keys;

/// <summary>What retiring a signing key came to (<see cref="SigningKeyStore.RetireAsync"/>).</summary>
/// <param name="RetiredAt">UTC: when it was retired, now or before; null when the store holds no such key.</param>
internal sealed record SigningKeyRetirement(RetirementOutcome Outcome, string KeyId, DateTime? RetiredAt);

internal enum RetirementOutcome
{
    Retired,
    NotHeld,
    AlreadyRetired,
}
