using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace JwtPropagation;

/// <summary>
/// A validated bearer token: the one the current request arrived with, or one captured from it for
/// later work. <see cref="ToString"/> never reveals the token, so logging this object is safe.
/// </summary>
public sealed class CallerToken(string value, string? subject, DateTimeOffset expiresAt)
{
    /// <summary>A delegation (<see cref="Delegation"/>) made current for a job: exchanged for access tokens, never sent on.</summary>
    internal CallerToken(Delegation delegation)
        : this(delegation.Value, delegation.Subject, delegation.ExpiresAt) => IsDelegation = true;

    private string? _fingerprint;
    private string? _authorization;

    /// <summary>The encoded token, to be sent on as <c>Authorization: Bearer</c>.</summary>
    public string Value { get; } = value;

    /// <summary>The user the token speaks for (its <c>sub</c> claim); null for a token of a service acting for itself.</summary>
    public string? Subject { get; } = subject;

    /// <summary>When the token expires (its <c>exp</c> claim).</summary>
    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>
    /// A short, non-reversible name for this token (the first 12 bytes of its SHA-256, base64url):
    /// the same wherever the same token travels, so it can be followed in logs and traces.
    /// </summary>
    public string Fingerprint => _fingerprint ??= Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Value))[..12]);

    /// <summary>Whether this is a delegation standing in for the user's token: it may only be exchanged, as a refresh token.</summary>
    internal bool IsDelegation { get; }

    /// <summary>The <c>Authorization</c> header value that carries this token, made once for every request that sends it.</summary>
    internal string AuthorizationHeaderValue => _authorization ??= "Bearer " + Value;

    /// <summary>The <see cref="Fingerprint"/> of a token that did not pass validation.</summary>
    internal static string FingerprintOf(string token) => new CallerToken(token, subject: null, default).Fingerprint;

    /// <summary>The subject, expiry and fingerprint: never the token.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() => $"CallerToken(sub: {Subject}, expires: {ExpiresAt:O}, fingerprint: {Fingerprint})";
}
