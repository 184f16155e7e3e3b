using Microsoft.Net.Http.Headers;

namespace IdentityService.Revocation;

internal static class RevocationFeedEndpoint
{
    public const string Path = "/revocations";

    /// <summary>
    /// GET /revocations: anonymous, since it names no user (users by a hash keyed with a secret only
    /// the services share, a token by its random jti).
    /// Resource servers poll it about every second, naming the version they hold (If-None-Match):
    /// an unchanged feed is answered 304.
    /// </summary>
    public static IEndpointRouteBuilder MapRevocationFeed(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ReadAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadAsync(HttpContext context, RevocationFeedSnapshot feed)
    {
        var current = await feed.GetAsync(context.RequestAborted);

        // Any copy kept along the way must be checked with this server before each use: a stale one
        // would hide the next revocation from the services.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.GetTypedHeaders().ETag = current.ETag;

        return context.Request.GetTypedHeaders().IfNoneMatch.Any(held => held.Compare(current.ETag, useStrongComparison: true))
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(current.Body, "application/json");
    }
}
