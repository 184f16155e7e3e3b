namespace JwtPropagation.Outgoing;

/// <summary>
/// Work that outlives the request, done on its user's behalf without keeping their token: capture a
/// <see cref="Delegation"/> while the request runs, keep it <see cref="Protect">protected</see> with
/// the work item (in any job engine or queue), and around the work, later and on any replica,
/// <see cref="CallerTokenContext.Restore(Delegation)">restore</see> it: the clients that exchange
/// trade it for short-lived access tokens whose <c>act</c> names this service and whose
/// <c>job_id</c> names the job. <see cref="WithdrawAsync">Withdraw</see> it when the work is done.
/// Revoking the user at the issuer ends it too.
/// </summary>
public interface ITokenDelegation
{
    /// <summary>
    /// A delegation of the current flow's token for <paramref name="jobId"/>, for one
    /// <paramref name="audience"/> (the <see cref="TokenPropagationOptions.Audience"/> of the
    /// exchanging client the work calls) and the scopes the token holds there: nothing wider.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no token on this flow.</exception>
    /// <exception cref="TokenExchangeException">The issuer refused, or could not be reached.</exception>
    Task<Delegation> CaptureAsync(string audience, string jobId, CancellationToken cancellationToken);

    /// <summary>The delegation, encrypted and signed with this application's Data Protection keys, to be stored.</summary>
    string Protect(Delegation delegation);

    /// <summary>The delegation <see cref="Protect"/> made.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">It was not made by this application, or was changed.</exception>
    Delegation Unprotect(string protectedDelegation);

    /// <summary>Ends the delegation at the issuer (RFC 7009), and with it every access token made from it.</summary>
    /// <exception cref="TokenExchangeException">The issuer refused, or could not be reached.</exception>
    Task WithdrawAsync(Delegation delegation, CancellationToken cancellationToken);
}
