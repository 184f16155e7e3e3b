namespace JwtPropagation.Incoming;

/// <summary>
/// What the issuer's revocation feed sends (JSON, camelCase): the lines after the version asked for,
/// or all of them when <see cref="Complete"/>, the version the service then holds, and the name of
/// the feed key its users' names are made with (<see cref="RevokedSubjectHash.KeyIdOf"/>; absent from
/// an issuer that does not send it).
/// </summary>
internal sealed record RevocationFeedDocument(
    long Version, bool Complete, IReadOnlyList<RevokedToken> RevokedTokens, IReadOnlyList<RevokedSubject> RevokedSubjects, string? KeyId = null)
{
    /// <summary>Signing keys the issuer retired at once; an issuer that retires none may leave it out.</summary>
    public IReadOnlyList<RetiredSigningKey>? RetiredSigningKeys { get; init; }

    public bool IsEmpty => RevokedTokens.Count == 0 && RevokedSubjects.Count == 0 && RetiredSigningKeys is not { Count: > 0 };
}

/// <summary>A revoked access token, by its <c>jti</c>, listed until it expires.</summary>
internal sealed record RevokedToken(string Jti, DateTimeOffset ExpiresAt);

/// <summary>A user whose tokens issued at or before <see cref="RevokedAt"/> are revoked, by keyed hash (<see cref="RevokedSubjectHash"/>); listed until the last of them expires.</summary>
internal sealed record RevokedSubject(string Name, DateTimeOffset RevokedAt, DateTimeOffset ExpiresAt);

/// <summary>A signing key the issuer retired (it may have leaked), by <c>kid</c>: every token it signed is refused; listed until the last of them expires.</summary>
internal sealed record RetiredSigningKey(string Kid, DateTimeOffset ExpiresAt);
