using IdentityService.Revocation;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityService.Admin;

internal static partial class SubjectRevocationEndpoint
{
    /// <summary>
    /// POST /admin/subjects/{subject}/revoke: revokes every token of the subject (a user id, or a
    /// client id for client credentials tokens) issued until now, stored or not. 204.
    /// </summary>
    public static RouteGroupBuilder MapSubjectRevocation(this RouteGroupBuilder admin)
    {
        admin.MapPost("subjects/{subject}/revoke", RevokeAsync);
        return admin;
    }

    private static async Task<IResult> RevokeAsync(
        string subject, HttpContext context, TokenRevoker revoker, ILogger<TokenRevoker> logger)
    {
        var (tokens, authorizations) = await revoker.RevokeSubjectAsync(subject, context.RequestAborted);

        LogSubjectRevoked(logger, subject, tokens, authorizations, context.User.GetClaim(Claims.Subject));
        return Results.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Revoked subject {Subject}: {TokenCount} stored tokens, {AuthorizationCount} authorizations; requested by {Administrator}")]
    private static partial void LogSubjectRevoked(
        ILogger logger, string subject, long tokenCount, long authorizationCount, string? administrator);
}
