namespace IdentityService.Revocation;

internal static class RevocationFeedEndpoint
{
    /// <summary>
    /// GET /revocations: anonymous, since it names no user (subjects are hashed, a jti is random).
    /// Resource servers poll it about every second.
    /// </summary>
    public static IEndpointRouteBuilder MapRevocationFeed(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("revocations", ReadAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadAsync(HttpContext context, RevocationFeed feed)
    {
        // A copy kept by a proxy would hide the next revocation from the services.
        context.Response.Headers.CacheControl = "no-store";
        return Results.Ok(await feed.ReadAsync(context.RequestAborted));
    }
}
