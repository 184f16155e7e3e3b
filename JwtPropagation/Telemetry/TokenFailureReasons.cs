namespace JwtPropagation.Telemetry;

/// <summary>
/// Why a request's token was refused: the value of <c>token.failure_reason</c> on the request's span
/// and of the <c>token.validation.failures</c> metric. One vocabulary, named here only.
/// </summary>
public static class TokenFailureReasons
{
    /// <summary>The request brought no bearer token.</summary>
    public const string Missing = "missing";

    /// <summary>More than one Authorization header, or a token also in the query string or form body.</summary>
    public const string DuplicateCredentials = "duplicate_credentials";

    /// <summary>Larger than any token this service accepts; not parsed.</summary>
    public const string Oversize = "oversize";

    /// <summary>Not a JWT, or not one that parses.</summary>
    public const string Malformed = "malformed";

    /// <summary>Not signed by a key the issuer publishes, or not validly signed.</summary>
    public const string BadSignature = "bad_signature";

    /// <summary>Signed with an algorithm other than the ones allowed.</summary>
    public const string BadAlgorithm = "bad_algorithm";

    /// <summary>Not issued by the expected issuer.</summary>
    public const string WrongIssuer = "wrong_issuer";

    /// <summary>Not meant for this service.</summary>
    public const string WrongAudience = "wrong_audience";

    /// <summary>Not an access token (<c>typ</c> other than <c>at+jwt</c>).</summary>
    public const string WrongType = "wrong_type";

    /// <summary>Past its expiry.</summary>
    public const string Expired = "expired";

    /// <summary>Before its <c>nbf</c>.</summary>
    public const string NotYetValid = "not_yet_valid";

    /// <summary>Without <c>iat</c>.</summary>
    public const string MissingIssuedAt = "missing_iat";

    /// <summary>Issued in the future.</summary>
    public const string IssuedInFuture = "issued_in_future";

    /// <summary>Living longer than any token the issuer gives.</summary>
    public const string LifetimeTooLong = "lifetime_too_long";

    /// <summary>With a <c>crit</c> header, which no extension here understands.</summary>
    public const string UnsupportedCritical = "unsupported_crit";

    /// <summary>Revoked by the issuer, or of a user revoked after it was issued.</summary>
    public const string Revoked = "revoked";

    /// <summary>Signed by a signing key the issuer retired at once (it may have leaked).</summary>
    public const string KeyRetired = "key_retired";

    /// <summary>Arrived at a new instance that could not read the issuer's revocation feed in time.</summary>
    public const string RevocationsUnread = "revocations_unread";

    /// <summary>Judged while the revocation list was older than allowed, with <c>RevocationFeedFailClosed</c> set.</summary>
    public const string RevocationsStale = "revocations_stale";

    /// <summary>Refused for any other reason.</summary>
    public const string Invalid = "invalid";
}
