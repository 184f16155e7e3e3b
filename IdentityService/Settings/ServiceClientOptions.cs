namespace IdentityService.Settings;

/// <summary>
/// A confidential service client, bound from <c>IdentityServer:ServiceClients:{clientId}</c>. It may
/// only exchange a user's access token addressed to it for one addressed to one of <see cref="Audiences"/>,
/// and, when <see cref="MaxDelegation"/> allows, for a delegation that outlives it (background work).
/// </summary>
public sealed class ServiceClientOptions
{
    /// <summary>Long enough not to be guessed; the AppHost generates a random one per run.</summary>
    public const int MinimumSecretLength = 32;

    public string Secret { get; set; } = string.Empty;

    /// <summary>The audiences (the RFC 8693 <c>audience</c> values) this client may ask for.</summary>
    public string[] Audiences { get; set; } = [];

    /// <summary>
    /// How long a delegation this client obtains for work that outlives the user's request may last
    /// (a refresh token issued to it by token exchange, <c>requested_token_type</c> refresh_token,
    /// for one audience and one job); zero, the default: it may obtain none.
    /// </summary>
    public TimeSpan MaxDelegation { get; set; }
}
