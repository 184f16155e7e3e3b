namespace JwtPropagation;

/// <summary>
/// What a job keeps in place of its user's token (<see cref="Outgoing.ITokenDelegation"/>): a refresh token
/// the issuer gave this service's client by token exchange, for one job, one audience and the
/// scopes the user's token held there, living up to the issuer's limit for this client. It is not a
/// bearer token: only this service's client can exchange it, and only for its <see cref="Audience"/>.
/// Keep it protected (<see cref="Outgoing.ITokenDelegation.Protect"/>); <see cref="ToString"/> never reveals it.
/// </summary>
public sealed class Delegation
{
    private string? _fingerprint;

    internal Delegation(string value, string? subject, string audience, string scope, string jobId, DateTimeOffset expiresAt)
    {
        Value = value;
        Subject = subject;
        Audience = audience;
        Scope = scope;
        JobId = jobId;
        ExpiresAt = expiresAt;
    }

    /// <summary>The user the work is done for (the <c>sub</c> of the token it was made from).</summary>
    public string? Subject { get; }

    /// <summary>The one audience it gives access tokens for.</summary>
    public string Audience { get; }

    /// <summary>The scopes asked for when it was made ("" for all the user's token held at <see cref="Audience"/>).</summary>
    public string Scope { get; }

    /// <summary>The job it was made for, named in every access token made from it (<c>job_id</c>).</summary>
    public string JobId { get; }

    /// <summary>When the issuer stops honouring it.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>A short, non-reversible name for it (as <see cref="CallerToken.Fingerprint"/>), to follow in logs and traces.</summary>
    public string Fingerprint => _fingerprint ??= CallerToken.FingerprintOf(Value);

    internal string Value { get; }

    /// <summary>The job, subject, audience, expiry and fingerprint: never the delegation itself.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() =>
        $"Delegation(job: {JobId}, sub: {Subject}, audience: {Audience}, expires: {ExpiresAt:O}, fingerprint: {Fingerprint})";
}
