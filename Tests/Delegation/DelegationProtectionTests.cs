using System.Security.Cryptography;
using System.Text;
using JwtPropagation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Tests.Delegation;

/// <summary>
/// A delegation is stored protected with the application's Data Protection keys (real ones,
/// ephemeral or in a temporary folder): it comes back whole, only to the application that
/// protected it, and only unchanged; neither it nor its description reveals the delegation.
/// </summary>
public sealed class DelegationProtectionTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly StandInServer _issuer = new(_ => throw new InvalidOperationException("Protecting a delegation asks nothing of the issuer."));
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("delegation-keys-");

    public void Dispose() => _keys.Delete(recursive: true);

    [Fact]
    public void Unprotect_gives_back_every_field_that_Protect_was_given()
    {
        using var services = DelegationServices.Create(_issuer, _time);
        var delegations = services.GetRequiredService<ITokenDelegation>();
        var delegation = DelegationServices.Sample(_time);

        var restored = delegations.Unprotect(delegations.Protect(delegation));

        Assert.Equal(delegation.Value, restored.Value);
        Assert.Equal("alice", restored.Subject);
        Assert.Equal(DelegationServices.Audience, restored.Audience);
        Assert.Equal("profiles.read", restored.Scope);
        Assert.Equal("job-7", restored.JobId);
        Assert.Equal(delegation.ExpiresAt, restored.ExpiresAt);
        Assert.Equal(delegation.Fingerprint, restored.Fingerprint);
        Assert.Empty(_issuer.Requests);
    }

    [Fact]
    public void A_protected_delegation_changed_by_one_character_is_refused()
    {
        using var services = DelegationServices.Create(_issuer, _time);
        var delegations = services.GetRequiredService<ITokenDelegation>();
        var protectedDelegation = delegations.Protect(DelegationServices.Sample(_time));

        // The header, the middle and the end of the payload (not the last character, whose low bits base64 may not use).
        foreach (var position in new[] { 0, protectedDelegation.Length / 2, protectedDelegation.Length - 2 })
        {
            var changed = ChangeOneCharacter(protectedDelegation, position);

            Assert.ThrowsAny<CryptographicException>(() => delegations.Unprotect(changed));
        }
    }

    [Fact]
    public void Another_application_cannot_open_a_protected_delegation()
    {
        // The same key ring, but another application name: Data Protection isolates them.
        using var protecting = DelegationServices.Create(_issuer, _time, DataProtectionProvider.Create(_keys, builder => builder.SetApplicationName("userservice")));
        using var sameKeysOtherName = DelegationServices.Create(_issuer, _time, DataProtectionProvider.Create(_keys, builder => builder.SetApplicationName("reportservice")));
        using var sameNameOtherKeys = DelegationServices.Create(_issuer, _time, new EphemeralDataProtectionProvider());
        using var sameNameSameKeys = DelegationServices.Create(_issuer, _time, DataProtectionProvider.Create(_keys, builder => builder.SetApplicationName("userservice")));
        var protectedDelegation = protecting.GetRequiredService<ITokenDelegation>().Protect(DelegationServices.Sample(_time));

        Assert.ThrowsAny<CryptographicException>(() => sameKeysOtherName.GetRequiredService<ITokenDelegation>().Unprotect(protectedDelegation));
        Assert.ThrowsAny<CryptographicException>(() => sameNameOtherKeys.GetRequiredService<ITokenDelegation>().Unprotect(protectedDelegation));
        // And the refusals are the keys' doing: another instance of the same application opens it.
        Assert.Equal("job-7", sameNameSameKeys.GetRequiredService<ITokenDelegation>().Unprotect(protectedDelegation).JobId);
    }

    [Fact]
    public void Neither_its_description_nor_its_protected_form_reveals_the_delegation()
    {
        using var services = DelegationServices.Create(_issuer, _time);
        var delegation = DelegationServices.Sample(_time);

        var description = delegation.ToString();
        var protectedDelegation = services.GetRequiredService<ITokenDelegation>().Protect(delegation);

        Assert.DoesNotContain(delegation.Value, description, StringComparison.Ordinal);
        Assert.Contains(delegation.Fingerprint, description, StringComparison.Ordinal);
        Assert.DoesNotContain(delegation.Value, protectedDelegation, StringComparison.Ordinal);
        // Nor merely encoded: the protected form's bytes hold it in no readable form.
        var bytes = Base64UrlEncoder.DecodeBytes(protectedDelegation);
        Assert.DoesNotContain(delegation.Value, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    private static string ChangeOneCharacter(string text, int position)
    {
        var characters = text.ToCharArray();
        characters[position] = characters[position] == 'A' ? 'B' : 'A';
        return new string(characters);
    }
}
