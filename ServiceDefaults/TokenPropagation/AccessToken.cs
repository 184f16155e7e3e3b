namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The validated bearer token of the current request. It lives in the request's features and
/// nowhere else; <see cref="ToString"/> never reveals it, so logging this object is safe.
/// </summary>
public sealed class AccessToken(string value, string? subject, DateTimeOffset expiresAt)
{
    /// <summary>The encoded token, to be sent on as <c>Authorization: Bearer</c>.</summary>
    public string Value { get; } = value;

    public string? Subject { get; } = subject;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public override string ToString() => $"AccessToken(sub: {Subject}, expires: {ExpiresAt:O})";
}
