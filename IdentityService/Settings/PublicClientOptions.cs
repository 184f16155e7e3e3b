namespace IdentityService.Settings;

/// <summary>
/// A public client (a local tool, a browser app: it keeps no secret), bound from
/// <c>IdentityServer:PublicClients:{clientId}</c>. People sign in through it with the authorization
/// code flow and PKCE (S256); it is first-party, so no consent is asked.
/// </summary>
public sealed class PublicClientOptions
{
    /// <summary>Where the code may be sent back: matched exactly, never by pattern.</summary>
    public string[] RedirectUris { get; set; } = [];

    /// <summary>Where a person may be sent after signing out: matched exactly.</summary>
    public string[] PostLogoutRedirectUris { get; set; } = [];

    /// <summary>The API scopes it may ask for; <c>offline_access</c> (a refresh token) is always allowed.</summary>
    public string[] Scopes { get; set; } = [];
}
