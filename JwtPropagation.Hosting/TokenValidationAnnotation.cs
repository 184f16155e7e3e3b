using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>The issuer a service trusts, and the audience it gives the service's tokens if not its own.</summary>
internal sealed record TokenValidationAnnotation(TokenIssuerResource Issuer, ReferenceExpression? Audience) : IResourceAnnotation;
