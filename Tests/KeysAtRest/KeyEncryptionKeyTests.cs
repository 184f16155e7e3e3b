using IdentityService.KeysAtRest;
using IdentityService.Settings;
using ServiceDefaults.KeysAtRest;

namespace Tests.KeysAtRest;

/// <summary>A sealed key opens with the key-encryption key it was sealed with, where it was sealed, unaltered; with nothing else.</summary>
public sealed class KeyEncryptionKeyTests
{
    private const string Pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    private static readonly string Context = SealContexts.SigningKey("kid-1");

    private readonly KeyEncryptionKey _key = new(IssuerProcess.NewKeyEncryptionKey());

    [Fact]
    public void A_sealed_value_shows_nothing_of_the_key_and_opens_with_the_same_key_where_it_was_sealed()
    {
        var sealedPem = _key.Seal(Pem, Context);

        Assert.StartsWith(KeyEncryptionKey.SealedPrefix, sealedPem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", sealedPem, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", sealedPem, StringComparison.Ordinal);
        Assert.NotEqual(sealedPem, _key.Seal(Pem, Context));
        Assert.Equal(Pem, _key.Unseal(sealedPem, Context));
    }

    [Fact]
    public void Another_key_another_row_an_altered_value_or_a_value_in_the_clear_does_not_open_and_says_which_and_why()
    {
        var sealedPem = _key.Seal(Pem, Context);
        var altered = sealedPem[..^4] + (sealedPem[^4] == 'A' ? 'B' : 'A') + sealedPem[^3..];

        var wrongKey = new (Action Refusal, string Context)[]
        {
            (() => new KeyEncryptionKey(IssuerProcess.NewKeyEncryptionKey()).Unseal(sealedPem, Context), Context),
            (() => _key.Unseal(sealedPem, SealContexts.SigningKey("kid-2")), SealContexts.SigningKey("kid-2")),
            (() => _key.Unseal(sealedPem, SealContexts.EncryptionKey("kid-1")), SealContexts.EncryptionKey("kid-1")),
            (() => _key.Unseal(altered, Context), Context),
        };

        Assert.All(wrongKey, refused =>
        {
            var notOpened = Assert.Throws<StoredKeyNotOpenedException>(refused.Refusal);
            Assert.Equal(refused.Context, notOpened.Context);
            Assert.False(notOpened.InTheClear);
            Assert.StartsWith(
                $"The stored key {refused.Context} does not open with {KeysAtRestExtensions.SettingName}: it is not the key this store was sealed with",
                StoredKeySealing.Explain(notOpened),
                StringComparison.Ordinal);
        });

        var inTheClear = Assert.Throws<StoredKeyNotOpenedException>(() => _key.Unseal(Pem, Context));
        Assert.True(inTheClear.InTheClear);
        Assert.StartsWith($"The stored key {Context} is in the clear, not sealed with {KeysAtRestExtensions.SettingName}", StoredKeySealing.Explain(inTheClear), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789012345678901234567890")]
    public void A_key_encryption_key_shorter_than_32_characters_is_refused_at_start(string keyEncryptionKey)
    {
        var options = new IdentityServerOptions
        {
            Issuer = new Uri("https://identity.example/"),
            RevocationFeedKey = new string('f', 32),
            KeyEncryptionKey = keyEncryptionKey,
        };

        var result = new IdentityServerOptionsValidator().Validate(name: null, options);

        Assert.True(result.Failed);
        Assert.Contains("IdentityServer:KeyEncryptionKey", result.FailureMessage, StringComparison.Ordinal);
    }
}
