using System.Globalization;

namespace IdentityService.Revocation;

internal static class RevocationFeedEndpoint
{
    public const string Path = "/revocations";

    /// <summary>
    /// GET /revocations[?since=version]: anonymous, since it names no user (users by a hash keyed
    /// with a secret only the services share, a token by its random jti). Resource servers poll it
    /// about every second, naming the version they hold, and are sent the lines after it
    /// (<see cref="RevocationFeedSnapshot"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapRevocationFeed(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ReadAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadAsync(HttpContext context, RevocationFeedSnapshot feed, string? since)
    {
        var held = long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : (long?)null;
        var body = await feed.GetAsync(held, context.RequestAborted);

        // Any copy kept along the way would hide the next revocation from the services.
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(body, "application/json");
    }
}
