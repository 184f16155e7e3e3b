using Benchmarks.Baseline;

namespace Benchmarks.Load.Driving;

/// <summary>
/// Who a request is made as, and the headers that say so: a bearer token for the real services,
/// the caller header for the baseline, both for the framework floor. Printed, it shows the user,
/// never the token.
/// </summary>
internal sealed record Caller(string UserId, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public static Caller WithToken(string userId, string accessToken) => new(userId, [Bearer(accessToken)]);

    public static Caller Named(string userId) => new(userId, [Name(userId)]);

    /// <summary>The floor's caller: named by the caller header, carrying a real token it does not verify.</summary>
    public static Caller NamedWithToken(string userId, string accessToken) => new(userId, [Name(userId), Bearer(accessToken)]);

    public override string ToString() => UserId;

    private static KeyValuePair<string, string> Bearer(string accessToken) => new("Authorization", $"Bearer {accessToken}");

    private static KeyValuePair<string, string> Name(string userId) => new(CallerHeader.Name, userId);
}
