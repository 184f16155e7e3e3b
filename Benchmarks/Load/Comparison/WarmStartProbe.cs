using System.Diagnostics;
using Benchmarks.Load.Driving;
using Benchmarks.Load.Services;
using JwtPropagation;
using Microsoft.Extensions.Hosting;

namespace Benchmarks.Load.Comparison;

/// <summary>
/// How soon a new instance serves at full speed: a fresh Exchange-mode pair (its first tokens are
/// new to it, its code not yet jitted) driven from the moment both report healthy.
/// </summary>
internal static class WarmStartProbe
{
    public static async Task<WarmStart> RunAsync(
        IdentityServer identity, LoadDriver driver, ICallerSource callers, TimeSpan duration, HttpClient http, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var pair = await ProductServices.StartPairAsync(identity, TokenPropagationMode.Exchange, http, cancellationToken);
        var untilHealthy = Stopwatch.GetElapsedTime(started);

        var load = await driver.RunAsync(pair.UsersMe, callers, duration, cancellationToken);
        pair.EnsureRunning();

        return new WarmStart(untilHealthy, load, [
            (pair.User.Name, pair.User.WorkingSetMegabytes()),
            (pair.Profile.Name, pair.Profile.WorkingSetMegabytes())]);
    }
}
