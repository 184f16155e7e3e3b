using JwtPropagation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>What an operation asks of the caller's token, read from its endpoint as the authorization middleware reads it.</summary>
/// <param name="NeedsToken">Whether a request without a token is refused (401).</param>
/// <param name="Scopes">The scopes the token must grant: checked here, or by a service called on the caller's behalf.</param>
/// <param name="CallsOnward">Whether the operation calls another service with the caller's token (<see cref="DownstreamScope"/>).</param>
internal sealed record OperationAuthorization(bool NeedsToken, IReadOnlyList<string> Scopes, bool CallsOnward)
{
    public static async Task<OperationAuthorization> ReadAsync(OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return new(NeedsToken: false, Scopes: [], CallsOnward: false);
        }

        var policyProvider = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = await AuthorizationPolicy.CombineAsync(policyProvider, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>())
            ?? await policyProvider.GetFallbackPolicyAsync();
        var downstream = metadata.OfType<DownstreamScope>().ToList();
        var scopes = (policy?.Requirements.OfType<ScopeRequirement>().Select(requirement => requirement.Scope) ?? [])
            .Concat(downstream.Select(scope => scope.Scope))
            .Distinct(StringComparer.Ordinal);

        return new(NeedsToken: policy is not null, Scopes: [.. scopes], CallsOnward: downstream.Count > 0);
    }
}
