using Microsoft.Extensions.Hosting;

namespace JwtPropagation;

/// <summary>
/// How the service may reach its issuer (metadata, keys, revocation feed, token endpoint): over
/// https outside Development, where a token or a revocation list in clear could be read or changed
/// on the way. Plain http stays open to loopback, and to a network the platform keeps private
/// (<see cref="JwtValidationOptions.TrustedInternalNetwork"/>).
/// </summary>
internal static class IssuerTransport
{
    /// <param name="environment">None outside a host: then https is required, as in production.</param>
    /// <param name="settings">The service's validation settings (<see cref="JwtValidationOptions.TrustedInternalNetwork"/>).</param>
    public static bool RequiresHttps(IHostEnvironment? environment, JwtValidationOptions settings) =>
        environment?.IsDevelopment() != true && !settings.TrustedInternalNetwork;

    /// <summary>https, a service discovery name that picks https when the issuer offers it (<c>https+http://</c>), or loopback.</summary>
    public static bool IsSecure(Uri address) =>
        address.Scheme is "https" or "https+http" || (address.IsAbsoluteUri && address.IsLoopback);

    public static string Refusal(string setting) =>
        $"{setting} must be https outside Development (or https+http:// through service discovery, or loopback); " +
        $"where the platform keeps the issuer's traffic inside a private network, set {JwtValidationOptions.SectionName}:{nameof(JwtValidationOptions.TrustedInternalNetwork)}.";
}
