using Benchmarks.Baseline;

namespace Benchmarks.Load.Driving;

/// <summary>
/// Who a request is made as, and the one header that says so: a bearer token for the real
/// services, the caller header for the baseline. Printed, it shows the user, never the token.
/// </summary>
internal sealed record Caller(string UserId, string HeaderName, string HeaderValue)
{
    public static Caller WithToken(string userId, string accessToken) => new(userId, "Authorization", $"Bearer {accessToken}");

    public static Caller Named(string userId) => new(userId, CallerHeader.Name, userId);

    public override string ToString() => UserId;
}
