namespace Microsoft.Extensions.Hosting;

/// <summary>Per-client settings of <see cref="TokenForwardingHandler"/>.</summary>
public sealed class TokenForwardingOptions
{
    /// <summary>
    /// When true (the default) a call made without a current access token fails with
    /// <see cref="MissingAccessTokenException"/> instead of going out unauthenticated.
    /// Set it to false only for a client that deliberately also calls anonymously.
    /// </summary>
    public bool RequireToken { get; set; } = true;
}
