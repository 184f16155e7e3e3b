using IdentityService.Keys;
using IdentityService.Settings;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityService.Server;

/// <summary>
/// Applies the validated settings and the persisted keys to OpenIddict. Done through the options
/// pipeline rather than the registration-time builder, because the settings and the data
/// directory are only known once configuration is bound and validated.
/// </summary>
internal sealed class ConfigureServerFromSettings(IOptions<IdentityServerOptions> settings, ServerKeys keys)
    : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        options.Issuer = settings.Value.Issuer;
        options.AccessTokenLifetime = settings.Value.AccessTokenLifetime;

        // Token exchange targets: OpenIddict answers invalid_target to an audience not registered
        // here, and invalid_request to one the client holds no aud: permission for.
        options.Audiences.UnionWith(settings.Value.ServiceClients.Values.SelectMany(client => client.Audiences));

        // The same algorithms OpenIddict's AddSigningKey/AddEncryptionKey pick for an RSA key, named here.
        options.SigningCredentials.Add(new SigningCredentials(keys.SigningKey, SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(
            keys.EncryptionKey, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }
}
