using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace IdentityService.Clients;

/// <summary>
/// The client secrets that verified against a stored hash, remembered by a keyed hash of the pair
/// (presented secret, stored hash) so that neither is kept. A service client sends its secret with
/// every token exchange; the stored hash is PBKDF2, slow by design, and paying it per exchange made
/// it most of a cold request's cost at the issuer. A changed secret is stored with a new salt, so
/// the pair verified before no longer matches anything. Only successes are remembered: a wrong
/// secret is checked in full every time, and a stranger cannot fill this.
/// </summary>
internal sealed class VerifiedClientSecrets
{
    /// <summary>
    /// Far more than the pairs a deployment has (a few service clients, each with the secret being
    /// rotated to): a bound, not a working size. When reached, all are forgotten and verified anew.
    /// </summary>
    public const int Capacity = 1_000;

    // Keyed with a key of this process: a copy of this memory gives no fast way to test guesses of a secret.
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, byte> _verified = new(StringComparer.Ordinal);

    public bool Contains(string secret, string storedHash) => _verified.ContainsKey(KeyOf(secret, storedHash));

    public void Add(string secret, string storedHash)
    {
        if (_verified.Count >= Capacity)
        {
            _verified.Clear();
        }

        _verified.TryAdd(KeyOf(secret, storedHash), 0);
    }

    private string KeyOf(string secret, string storedHash)
    {
        // The stored hash is base64, so the separator cannot occur in it: no two pairs give one input.
        var input = Encoding.UTF8.GetBytes($"{storedHash}:{secret}");
        return Convert.ToBase64String(HMACSHA256.HashData(_key, input));
    }
}
