using System.Xml.Linq;
using IdentityService.KeysAtRest;
using Microsoft.Data.Sqlite;
using ServiceDefaults.KeysAtRest;

namespace Tests.KeysAtRest;

/// <summary>
/// Turns a store into one an issuer before keys at rest wrote: the same keys, each in the clear
/// where it is kept (a PEM in its column, a Data Protection master key in its key's XML).
/// </summary>
internal static class EarlierVersionStore
{
    public static async Task UnsealAsync(SqliteConnection store, KeyEncryptionKey keyEncryptionKey, CancellationToken cancellationToken)
    {
        foreach (var (table, contextOf) in new (string, Func<string, string>)[] { ("SigningKeys", SealContexts.SigningKey), ("EncryptionKeys", SealContexts.EncryptionKey) })
        {
            foreach (var (id, sealedPem) in await StoreDump.ReadPairsAsync(store, $"SELECT Id, PrivateKeyPem FROM {table}", cancellationToken))
            {
                await UpdateAsync(store, $"UPDATE {table} SET PrivateKeyPem = $value WHERE Id = $id", id, keyEncryptionKey.Unseal(sealedPem, contextOf(id)), cancellationToken);
            }
        }

        foreach (var (id, xml) in await StoreDump.ReadPairsAsync(store, "SELECT CAST(Id AS TEXT), Xml FROM DataProtectionKeys", cancellationToken))
        {
            var key = XElement.Parse(xml);
            foreach (var secret in DataProtectionKeyXml.SealedSecrets(key).ToList())
            {
                secret.Parent!.ReplaceWith(XElement.Parse(keyEncryptionKey.Unseal(secret.Value, SealContexts.DataProtectionKey)));
            }

            await UpdateAsync(store, "UPDATE DataProtectionKeys SET Xml = $value WHERE Id = $id", id, key.ToString(SaveOptions.DisableFormatting), cancellationToken);
        }
    }

    private static async Task UpdateAsync(SqliteConnection store, string sql, string id, string value, CancellationToken cancellationToken)
    {
        await using var command = store.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$value", value);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(cancellationToken));
    }
}
