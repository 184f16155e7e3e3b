namespace IdentityService.Settings;

/// <summary>
/// A confidential service client, bound from <c>IdentityServer:ServiceClients:{clientId}</c>. It may
/// only exchange a user's access token addressed to it for one addressed to one of <see cref="Audiences"/>.
/// </summary>
public sealed class ServiceClientOptions
{
    /// <summary>Long enough not to be guessed; the AppHost generates a random one per run.</summary>
    public const int MinimumSecretLength = 32;

    public string Secret { get; set; } = string.Empty;

    /// <summary>The audiences (the RFC 8693 <c>audience</c> values) this client may ask for.</summary>
    public string[] Audiences { get; set; } = [];
}
