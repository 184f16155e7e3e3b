using System.ComponentModel.DataAnnotations;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How large a request's body may be, and how long its headers and body may take to arrive. Bound
/// from the "RequestLimits" section and validated at start-up.
/// </summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "RequestLimits";

    /// <summary>
    /// The largest body read, in bytes; a larger one is refused with 413, before a byte of it is read
    /// where its length is announced. The services' largest is a form with a token in it (the
    /// issuer's token and revocation endpoints): a token of the largest size the services accept
    /// (8 KB) and a few fields.
    /// </summary>
    [Range(0, 1_048_576)]
    public int MaxBodySize { get; set; } = 16 * 1024;

    /// <summary>
    /// How long the whole body may take to arrive, once the headers are in; a slower sender is
    /// answered 408. The request waits for its body before it takes one of the permits requests are
    /// worked on with, so this bounds how long a stranger holds a connection, nothing more.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the headers may take to arrive (Kestrel's own default is 30 s); a slower sender's connection is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
