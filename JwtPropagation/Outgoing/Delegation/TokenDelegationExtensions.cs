using JwtPropagation;
using JwtPropagation.Outgoing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Lets work that outlives the request act for its user: <c>AddTokenDelegation</c>.</summary>
public static class TokenDelegationExtensions
{
    /// <summary>
    /// Adds <see cref="ITokenDelegation"/>, with this service's issuer credentials (the
    /// <c>TokenExchange</c> section). Delegations are protected with ASP.NET Core Data Protection:
    /// where work runs on several replicas, or after a restart, give them one key ring that lasts
    /// (<c>AddDataProtection().PersistKeysTo...</c>, with the keys encrypted at rest).
    /// </summary>
    public static IServiceCollection AddTokenDelegation(this IServiceCollection services)
    {
        services.AddTokenExchange();
        services.AddDataProtection();
        services.TryAddSingleton<ITokenDelegation, TokenDelegation>();
        return services;
    }
}
