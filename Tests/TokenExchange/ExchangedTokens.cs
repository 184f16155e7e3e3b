using JwtPropagation;
using Microsoft.IdentityModel.JsonWebTokens;
using Tests.Integration;

namespace Tests.TokenExchange;

internal static class ExchangedTokens
{
    /// <summary>The token UserService's exchange client gets for ProfileService in exchange for <paramref name="token"/>.</summary>
    public static async Task<string> ForProfileServiceAsync(DistributedAppFixture app, string token, CancellationToken cancellationToken)
    {
        await using var propagation = await PropagatingClient.CreateAsync(app, options => options.Mode = TokenPropagationMode.Exchange, cancellationToken);
        var jwt = new JsonWebToken(token);
        using (CallerTokenContext.Restore(new CallerToken(token, jwt.Subject, jwt.ValidTo)))
        {
            using var response = await propagation.Client.GetAsync(new Uri("/profiles/me", UriKind.Relative), cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        return Assert.Single(propagation.SentTokens)!;
    }
}
