using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;

namespace UserService.Profiles;

/// <summary>How UserService reaches ProfileService.</summary>
public enum ProfileServiceTransport
{
    /// <summary>Its HTTP API (JSON), at the token settings' <c>Destination</c>.</summary>
    Http,

    /// <summary>Its gRPC service, at <see cref="ProfileServiceOptions.GrpcDestination"/>.</summary>
    Grpc,
}

/// <summary>
/// The transport settings of section <c>ProfileService</c>; the same section holds how the caller's
/// token goes there (<c>Mode</c>, <c>Audience</c>, ...), read by the token propagation handler for
/// either transport. Validated at start-up.
/// </summary>
public sealed class ProfileServiceOptions : IValidatableObject
{
    public ProfileServiceTransport Transport { get; set; } = ProfileServiceTransport.Http;

    /// <summary>ProfileService's audience, which the token propagation reads from this section too: exports obtain their delegations for it.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// ProfileService's gRPC endpoint, e.g. <c>http://_grpc.profileservice</c> (service discovery's
    /// endpoint <c>grpc</c>). A gRPC channel fixes its scheme when it is made, so this is http or
    /// https, never <c>https+http</c>.
    /// </summary>
    public Uri? GrpcDestination { get; set; }

    /// <summary>Each gRPC call's deadline, sent with it so ProfileService stops when UserService gives up; the HTTP calls' total time-out by default.</summary>
    public TimeSpan GrpcDeadline { get; set; } = HttpClientResilienceExtensions.DefaultTotalTimeout;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Transport != ProfileServiceTransport.Grpc)
        {
            yield break;
        }

        if (GrpcDestination is not { IsAbsoluteUri: true } destination || destination.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult(
                "The gRPC transport needs an absolute http or https GrpcDestination (a gRPC channel cannot choose its scheme per call, so not https+http).",
                [nameof(GrpcDestination)]);
        }

        if (GrpcDeadline <= TimeSpan.Zero)
        {
            yield return new ValidationResult("GrpcDeadline must be positive.", [nameof(GrpcDeadline)]);
        }
    }
}
