using IdentityService.KeysAtRest;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Validation;
using ServiceDefaults.KeysAtRest;

namespace IdentityService.Keys;

/// <summary>
/// The signing keys the issuer holds now, in the order OpenIddict takes them: the active key signs,
/// every key is published in the JWKS and verifies. When they change, OpenIddict's server options
/// are built again (and then the validation options of the admin API, which copy the server's keys):
/// OpenIddict reads its options per request, so the next token is signed with the new key.
/// </summary>
internal sealed class SigningKeyRing(KeyEncryptionKey keyEncryptionKey)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RsaSecurityKey> _loaded = new(StringComparer.Ordinal);
    private CancellationTokenSource _serverOptionsChanged = new();
    private CancellationTokenSource _validationOptionsChanged = new();

    /// <summary>The schedule the keys were last arranged by; null until they are first loaded.</summary>
    public SigningKeySchedule? Schedule { get; private set; }

    /// <summary>The active key first, then the others.</summary>
    public IReadOnlyList<RsaSecurityKey> InSigningOrder { get; private set; } = [];

    public void Arrange(SigningKeySchedule schedule, IReadOnlyCollection<SigningKey> keys)
    {
        CancellationTokenSource serverChanged, validationChanged;
        lock (_lock)
        {
            var changed = !schedule.InSigningOrder.Select(key => key.Id).SequenceEqual(InSigningOrder.Select(key => key.KeyId));
            Schedule = schedule;
            if (!changed)
            {
                return;
            }

            InSigningOrder = [.. schedule.InSigningOrder.Select(state => Load(keys.Single(key => key.Id == state.Id)))];
            foreach (var retired in _loaded.Keys.Except(InSigningOrder.Select(key => key.KeyId)).ToList())
            {
                _loaded.Remove(retired);
            }

            serverChanged = Interlocked.Exchange(ref _serverOptionsChanged, new CancellationTokenSource());
            validationChanged = Interlocked.Exchange(ref _validationOptionsChanged, new CancellationTokenSource());
        }

        // The server's options first: the validation options copy their keys when rebuilt.
        serverChanged.Cancel();
        validationChanged.Cancel();
    }

    private RsaSecurityKey Load(SigningKey key)
    {
        if (!_loaded.TryGetValue(key.Id, out var loaded))
        {
            loaded = RsaKeyMaterial.ToSecurityKey(keyEncryptionKey.Unseal(key.PrivateKeyPem, SealContexts.SigningKey(key.Id)), key.Id);
            _loaded.Add(key.Id, loaded);
        }

        return loaded;
    }

    internal sealed class ServerOptionsChangeTokenSource(SigningKeyRing ring) : IOptionsChangeTokenSource<OpenIddictServerOptions>
    {
        public string Name => Options.DefaultName;

        public IChangeToken GetChangeToken() => new CancellationChangeToken(ring._serverOptionsChanged.Token);
    }

    internal sealed class ValidationOptionsChangeTokenSource(SigningKeyRing ring) : IOptionsChangeTokenSource<OpenIddictValidationOptions>
    {
        public string Name => Options.DefaultName;

        public IChangeToken GetChangeToken() => new CancellationChangeToken(ring._validationOptionsChanged.Token);
    }
}
