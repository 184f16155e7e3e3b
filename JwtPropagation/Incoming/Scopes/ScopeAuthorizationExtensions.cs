using JwtPropagation;
using JwtPropagation.Incoming;
using Microsoft.AspNetCore.Http;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Lets endpoints ask for a scope: <see cref="RequireTokenScope"/>.</summary>
public static class ScopeAuthorizationExtensions
{
    /// <summary>
    /// Lets only tokens that grant <paramref name="scope"/> in. A valid token without it is answered
    /// 403 with <c>WWW-Authenticate: Bearer error="insufficient_scope"</c> (RFC 6750 section 3.1).
    /// </summary>
    public static TBuilder RequireTokenScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)));
}
