using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Tests.Integration;

namespace Tests.KeysAtRest;

/// <summary>
/// The issuer's store keeps every private key sealed with a key that is not in it (the AppHost's
/// generated secret <c>key-encryption-key</c>): a copy of the database gives no key away, an issuer
/// given another key refuses to start and says why, and a store an earlier version wrote in the
/// clear is sealed at start, its keys kept.
/// </summary>
public sealed class KeysAtRestTests(DistributedAppFixture app)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_dump_of_the_store_holds_no_private_key_in_the_clear()
    {
        using var timeout = TestTimeout.After(Limit);
        await WithDataProtectionKeyAsync(timeout.Token);
        await using var store = await app.OpenIdentityStoreAsync(timeout.Token);

        var secrets = await StoredSecrets.OpenAsync(store, await app.GetKeyEncryptionKeyAsync(timeout.Token), timeout.Token);
        var dump = await StoreDump.ReadAsync(store, timeout.Token);

        // A signing key, the encryption key, a Data Protection key: each looked for, none found.
        Assert.Empty(secrets.FoundIn(dump));
        Assert.True(secrets.RsaKeys >= 2, $"{secrets.RsaKeys} RSA keys opened.");
        Assert.True(secrets.DataProtectionKeys >= 1, "No Data Protection key opened.");
    }

    [Fact]
    public async Task The_issuer_on_a_copy_of_the_store_with_another_key_encryption_key_refuses_to_start_and_says_why()
    {
        using var timeout = TestTimeout.After(Limit);
        await WithDataProtectionKeyAsync(timeout.Token);
        var copy = Directory.CreateTempSubdirectory("identity-copy-");
        try
        {
            await using (var store = await app.OpenIdentityStoreAsync(timeout.Token))
            {
                await StoreDump.CopyAsync(store, copy.FullName, timeout.Token);
            }

            await using var issuer = IssuerProcess.Start(copy.FullName, IssuerProcess.NewKeyEncryptionKey());
            var exitCode = await issuer.Process.WaitForExitAsync(timeout.Token);

            var output = issuer.Process.Output;
            Assert.True(exitCode == 1, $"Exit code {exitCode}:\n{output}");
            Assert.Contains("does not open with IdentityServer:KeyEncryptionKey: it is not the key this store was sealed with", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);

            // Nothing of the store was changed by the issuer that could not open it.
            await using var copied = await StoreDump.OpenAsync(copy.FullName, timeout.Token);
            await StoredSecrets.OpenAsync(copied, await app.GetKeyEncryptionKeyAsync(timeout.Token), timeout.Token);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_store_an_earlier_version_wrote_in_the_clear_is_sealed_at_start_and_keeps_its_keys()
    {
        using var timeout = TestTimeout.After(Limit);
        await WithDataProtectionKeyAsync(timeout.Token);
        var keyEncryptionKey = await app.GetKeyEncryptionKeyAsync(timeout.Token);
        var copy = Directory.CreateTempSubdirectory("identity-copy-");
        try
        {
            StoredSecrets secrets;
            IReadOnlyList<string> signingKeys;
            await using (var store = await app.OpenIdentityStoreAsync(timeout.Token))
            {
                await StoreDump.CopyAsync(store, copy.FullName, timeout.Token);
            }

            await using (var earlier = await StoreDump.OpenAsync(copy.FullName, timeout.Token))
            {
                secrets = await StoredSecrets.OpenAsync(earlier, keyEncryptionKey, timeout.Token);
                signingKeys = await SigningKeyIdsAsync(earlier, timeout.Token);
                await EarlierVersionStore.UnsealAsync(earlier, keyEncryptionKey, timeout.Token);
                Assert.NotEmpty(secrets.FoundIn(await StoreDump.ReadAsync(earlier, timeout.Token)));
            }

            IReadOnlyList<string> published;
            await using (var issuer = IssuerProcess.Start(copy.FullName, await app.GetParameterValueAsync("key-encryption-key", timeout.Token)))
            {
                Assert.True(await issuer.ServesAsync(timeout.Token), $"The issuer stopped:\n{issuer.Process.Output}");
                published = await PublishedKeyIdsAsync(issuer.Address, timeout.Token);
            }

            await using var upgraded = await StoreDump.OpenAsync(copy.FullName, timeout.Token);
            Assert.Empty(secrets.FoundIn(await StoreDump.ReadAsync(upgraded, timeout.Token)));
            Assert.Equal(signingKeys, await SigningKeyIdsAsync(upgraded, timeout.Token));
            Assert.Equal(signingKeys, published.Order(StringComparer.Ordinal));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    /// <summary>Data Protection writes its first key when the sign-in page first needs an anti-forgery token, if not before.</summary>
    private async Task WithDataProtectionKeyAsync(CancellationToken cancellationToken)
    {
        using var identity = app.CreateClient("identity");
        using var page = await identity.GetAsync(new Uri("/account/signin", UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        await using var store = await app.OpenIdentityStoreAsync(cancellationToken);
        await using var count = store.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM DataProtectionKeys";
        await Polling.UntilAsync(async token => (long)(await count.ExecuteScalarAsync(token))!, keys => keys > 0, cancellationToken);
    }

    private static async Task<IReadOnlyList<string>> SigningKeyIdsAsync(SqliteConnection store, CancellationToken cancellationToken) =>
        await StoreDump.ReadColumnAsync(store, "SELECT Id FROM SigningKeys ORDER BY Id", cancellationToken);

    private static async Task<IReadOnlyList<string>> PublishedKeyIdsAsync(Uri issuer, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = issuer };
        var discovery = await client.GetFromJsonAsync<Discovery>(new Uri("/.well-known/openid-configuration", UriKind.Relative), cancellationToken);
        var keySet = await client.GetFromJsonAsync<KeySet>(discovery!.JwksUri, cancellationToken);
        return [.. keySet!.Keys.Select(key => key.KeyId)];
    }

    private sealed record Discovery([property: JsonPropertyName("jwks_uri")] Uri JwksUri);

    private sealed record KeySet([property: JsonPropertyName("keys")] IReadOnlyList<KeySetKey> Keys);

    private sealed record KeySetKey([property: JsonPropertyName("kid")] string KeyId);
}
