using System.Xml.Linq;
using IdentityService.KeysAtRest;
using Microsoft.Data.Sqlite;
using ServiceDefaults.KeysAtRest;
using Tests.Integration;
using Tests.KeysAtRest;

namespace Tests.Exports;

/// <summary>
/// UserService's job store keeps the Data Protection keys that protect each job's delegation with
/// their master keys sealed by a key that is not in the store, the AppHost's generated secret
/// <c>jobs-key-encryption-key</c>: a copy of the database gives no master key away, and the keys
/// open with that parameter, not with the issuer's.
/// </summary>
public sealed class JobStoreKeysAtRestTests(DistributedAppFixture app)
{
    private const string User = "user148";
    private const string KeysTable = "data_protection_keys";
    private const string SharedDecryptor = "ServiceDefaults.KeysAtRest.KeyEncryptionKeyXmlDecryptor, ServiceDefaults,";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private static readonly XName DecryptorType = "decryptorType";

    [Fact]
    public async Task After_an_export_is_queued_every_data_protection_key_of_the_job_store_is_sealed_and_opens_with_the_apphosts_parameter()
    {
        using var timeout = TestTimeout.After(Limit);
        var cancellationToken = timeout.Token;

        // Queueing protects the job's delegation: Data Protection has written a key by the time it is accepted.
        using (var userService = app.CreateClient("userservice", await app.GetTokenAsync(User, "users.read profiles.read", cancellationToken)))
        {
            await ExportJobs.QueueAsync(userService, cancellationToken);
        }

        await using var store = await OpenJobStoreAsync(cancellationToken);
        var keys = await StoreDump.ReadPairsAsync(store, $"SELECT CAST(id AS TEXT), xml FROM {KeysTable}", cancellationToken);

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            var element = XElement.Parse(key.Second);
            Assert.DoesNotContain("<masterKey", key.Second, StringComparison.Ordinal);
            Assert.Empty(DataProtectionKeyXml.SecretsInTheClear(element));
            Assert.Single(DataProtectionKeyXml.SealedSecrets(element));
            Assert.All(element.Descendants().Attributes(DecryptorType), decryptor => Assert.StartsWith(SharedDecryptor, decryptor.Value, StringComparison.Ordinal));
        });

        // Each master key opens with the parameter, and appears nowhere in the store, in any encoding.
        var jobsKey = new KeyEncryptionKey(await app.GetParameterValueAsync("jobs-key-encryption-key", cancellationToken));
        var secrets = await StoredSecrets.OpenDataProtectionKeysAsync(store, KeysTable, jobsKey, cancellationToken);
        Assert.Equal(keys.Count, secrets.DataProtectionKeys);
        Assert.Empty(secrets.FoundIn(await StoreDump.ReadAsync(store, cancellationToken)));

        // A key of its own: the issuer's does not open them.
        var issuersKey = await app.GetKeyEncryptionKeyAsync(cancellationToken);
        var notOpened = await Assert.ThrowsAsync<StoredKeyNotOpenedException>(
            () => StoredSecrets.OpenDataProtectionKeysAsync(store, KeysTable, issuersKey, cancellationToken));
        Assert.False(notOpened.InTheClear);
    }

    private async Task<SqliteConnection> OpenJobStoreAsync(CancellationToken cancellationToken)
    {
        var store = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(app.JobsDataDirectory, "jobs.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await store.OpenAsync(cancellationToken);
        return store;
    }
}
