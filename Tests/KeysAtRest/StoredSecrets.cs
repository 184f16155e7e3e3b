using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using IdentityService.KeysAtRest;
using Microsoft.Data.Sqlite;
using ServiceDefaults.KeysAtRest;

namespace Tests.KeysAtRest;

/// <summary>
/// The private key material an issuer's store holds, opened with its key-encryption key by the
/// issuer's own code: each RSA private key's parameters (d, p, q, dp, dq, qi) and each Data
/// Protection master key. A copy of the store must show none of them, in any encoding.
/// </summary>
internal sealed partial class StoredSecrets
{
    private static readonly string[] Markers = ["PRIVATE KEY", "<masterKey"];

    private readonly List<(string Name, byte[] Bytes)> _secrets = [];

    /// <summary>How many RSA private keys (signing and encryption) were opened.</summary>
    public int RsaKeys { get; private set; }

    /// <summary>How many Data Protection master keys were opened.</summary>
    public int DataProtectionKeys { get; private set; }

    public static async Task<StoredSecrets> OpenAsync(SqliteConnection store, KeyEncryptionKey keyEncryptionKey, CancellationToken cancellationToken)
    {
        var secrets = new StoredSecrets();
        foreach (var (id, sealedPem) in await StoreDump.ReadPairsAsync(store, "SELECT Id, PrivateKeyPem FROM SigningKeys", cancellationToken))
        {
            secrets.AddRsaKey($"signing key {id}", keyEncryptionKey.Unseal(sealedPem, SealContexts.SigningKey(id)));
        }

        foreach (var (id, sealedPem) in await StoreDump.ReadPairsAsync(store, "SELECT Id, PrivateKeyPem FROM EncryptionKeys", cancellationToken))
        {
            secrets.AddRsaKey($"encryption key {id}", keyEncryptionKey.Unseal(sealedPem, SealContexts.EncryptionKey(id)));
        }

        await secrets.AddDataProtectionKeysAsync(store, "DataProtectionKeys", keyEncryptionKey, cancellationToken);
        return secrets;
    }

    /// <summary>The master keys of the Data Protection keys in <paramref name="table"/> (columns <c>id</c> and <c>xml</c>) of another service's store.</summary>
    public static async Task<StoredSecrets> OpenDataProtectionKeysAsync(SqliteConnection store, string table, KeyEncryptionKey keyEncryptionKey, CancellationToken cancellationToken)
    {
        var secrets = new StoredSecrets();
        await secrets.AddDataProtectionKeysAsync(store, table, keyEncryptionKey, cancellationToken);
        return secrets;
    }

    /// <summary>Where <paramref name="dump"/> gives a private key away: a PEM or master key element, or any secret's bytes.</summary>
    public IReadOnlyList<string> FoundIn(IEnumerable<StoredValue> dump) => [.. dump.SelectMany(FoundIn)];

    private IEnumerable<string> FoundIn(StoredValue value)
    {
        var text = value.Value as string ?? Encoding.Latin1.GetString((byte[])value.Value);
        foreach (var marker in Markers.Where(marker => text.Contains(marker, StringComparison.Ordinal)))
        {
            yield return $"{value} holds \"{marker}\"";
        }

        byte[][] decoded = [value.Value as byte[] ?? [], .. DecodedBase64Runs(text)];
        foreach (var (name, secret) in _secrets)
        {
            var encoded = text.Contains(Convert.ToBase64String(secret), StringComparison.Ordinal)
                || text.Contains(Base64Url.EncodeToString(secret), StringComparison.Ordinal)
                || text.Contains(Convert.ToHexString(secret), StringComparison.OrdinalIgnoreCase);
            if (encoded || decoded.Any(bytes => bytes.AsSpan().IndexOf(secret) >= 0))
            {
                yield return $"{value} holds {name}";
            }
        }
    }

    private async Task AddDataProtectionKeysAsync(SqliteConnection store, string table, KeyEncryptionKey keyEncryptionKey, CancellationToken cancellationToken)
    {
        foreach (var (id, xml) in await StoreDump.ReadPairsAsync(store, $"SELECT CAST(Id AS TEXT), Xml FROM {table}", cancellationToken))
        {
            foreach (var secret in DataProtectionKeyXml.SealedSecrets(XElement.Parse(xml)))
            {
                var masterKey = XElement.Parse(keyEncryptionKey.Unseal(secret.Value, KeyEncryptionKeyXmlEncryptor.SealContext));
                _secrets.Add(($"Data Protection key {id}'s master key", Convert.FromBase64String(masterKey.Descendants("value").Single().Value)));
                DataProtectionKeys++;
            }
        }
    }

    private void AddRsaKey(string name, string pem)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        var parameters = rsa.ExportParameters(includePrivateParameters: true);
        foreach (var (parameter, bytes) in new[] { ("d", parameters.D), ("p", parameters.P), ("q", parameters.Q), ("dp", parameters.DP), ("dq", parameters.DQ), ("qi", parameters.InverseQ) })
        {
            // As an integer: DER and JWK drop the leading zeros a fixed-length array may carry.
            _secrets.Add(($"{name}'s {parameter}", bytes!.AsSpan().TrimStart((byte)0).ToArray()));
        }

        RsaKeys++;
    }

    // Base64 or base64url text, possibly broken into lines as in a PEM, whose armour is set aside.
    private static IEnumerable<byte[]> DecodedBase64Runs(string text)
    {
        foreach (Match run in Base64Run().Matches(PemArmour().Replace(text, " ")))
        {
            var base64 = new string([.. run.Value.Where(character => !char.IsWhiteSpace(character))]).TrimEnd('=').Replace('-', '+').Replace('_', '/');
            var padded = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var bytes = new byte[padded.Length * 3 / 4];
            if (Convert.TryFromBase64String(padded, bytes, out var written))
            {
                yield return bytes[..written];
            }
        }
    }

    [GeneratedRegex(@"[A-Za-z0-9+/_\-=\r\n]{40,}")]
    private static partial Regex Base64Run();

    [GeneratedRegex("-----[A-Z ]+-----")]
    private static partial Regex PemArmour();
}
