using IdentityService.Keys;
using IdentityService.Settings;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityService.Server;

/// <summary>
/// Applies the validated settings and the keys to OpenIddict. Done through the options pipeline
/// rather than the registration-time builder, because the settings and the data directory are only
/// known once configuration is bound and validated, and because the signing keys change: the options
/// are built again each time they do (<see cref="SigningKeyRing"/>).
/// </summary>
internal sealed class ConfigureServerFromSettings(
    IOptions<IdentityServerOptions> settings,
    SigningKeyRing signingKeys,
    ServerEncryptionKey encryptionKey)
    : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        options.Issuer = settings.Value.Issuer;
        options.AccessTokenLifetime = settings.Value.AccessTokenLifetime;

        // Token exchange targets: OpenIddict answers invalid_target to an audience not registered
        // here, and invalid_request to one the client holds no aud: permission for.
        options.Audiences.UnionWith(settings.Value.ServiceClients.Values.SelectMany(client => client.Audiences));

        if (signingKeys.InSigningOrder.Count == 0)
        {
            throw new InvalidOperationException($"The signing keys are not loaded: call {nameof(ServerKeyExtensions.LoadServerKeysAsync)} before the app starts.");
        }

        // OpenIddict signs with the first and publishes them all. It sorts them by kind only (X.509
        // before raw keys), which leaves the order of these RSA keys as it is.
        // The same algorithms OpenIddict's AddSigningKey/AddEncryptionKey pick for an RSA key, named here.
        options.SigningCredentials.AddRange(signingKeys.InSigningOrder.Select(key => new SigningCredentials(key, SecurityAlgorithms.RsaSha256)));
        options.EncryptionCredentials.Add(new EncryptingCredentials(
            encryptionKey.Key, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }
}
