using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

public static class RetryAfterExtensions
{
    /// <summary>Tells a refused caller when to try again (<c>Retry-After</c>, in whole seconds, at least one).</summary>
    public static void SetRetryAfter(this HttpResponse response, TimeSpan delay) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
