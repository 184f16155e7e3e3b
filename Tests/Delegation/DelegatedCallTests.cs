using System.Net;
using JwtPropagation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Tests.Delegation;

/// <summary>
/// Work restored from a delegation (<see cref="CallerTokenContext.Restore(JwtPropagation.Delegation)"/>)
/// calls its destination only through a client that exchanges: the delegation goes to the issuer,
/// as a refresh token, and the access token it gives goes to the destination; the delegation never
/// does, and a client that would forward it refuses the call.
/// </summary>
public sealed class DelegatedCallTests : IDisposable
{
    private const string ExchangedToken = "access-token-made-from-the-delegation";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly StandInServer _issuer = new(_ => StandInServer.TokenResponse(ExchangedToken, 300));
    private readonly StandInServer _destination = new(_ => new HttpResponseMessage(HttpStatusCode.OK));
    private readonly ServiceProvider _services;

    public DelegatedCallTests() => _services = DelegationServices.Create(_issuer, _time, destination: _destination);

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task An_exchanging_client_trades_the_delegation_as_a_refresh_token_and_sends_only_what_it_got()
    {
        var delegation = DelegationServices.Sample(_time);

        using (CallerTokenContext.Restore(delegation))
        {
            using var response = await Client(DelegationServices.ExchangingClient)
                .GetAsync(new Uri("/profiles/me", UriKind.Relative), TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }

        var exchange = Assert.Single(_issuer.Requests);
        Assert.Equal(DelegationServices.TokenEndpoint, exchange.Uri);
        Assert.Equal((DelegationServices.ClientId, DelegationServices.ClientSecret), exchange.BasicCredentials);
        Assert.Equal(delegation.Value, exchange.Form["subject_token"]);
        Assert.Equal("urn:ietf:params:oauth:token-type:refresh_token", exchange.Form["subject_token_type"]);
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", exchange.Form["requested_token_type"]);
        Assert.Equal(DelegationServices.Audience, exchange.Form["audience"]);

        var call = Assert.Single(_destination.Requests);
        Assert.Equal("Bearer", call.Authorization?.Scheme);
        Assert.Equal(ExchangedToken, call.Authorization?.Parameter);
        Assert.DoesNotContain(delegation.Value, call.Authorization!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forwarding_client_refuses_the_call_and_sends_nothing()
    {
        using (CallerTokenContext.Restore(DelegationServices.Sample(_time)))
        {
            await Assert.ThrowsAsync<TokenDestinationRefusedException>(() => Client(DelegationServices.ForwardingClient)
                .GetAsync(new Uri("/profiles/me", UriKind.Relative), TestContext.Current.CancellationToken));
        }

        Assert.Empty(_destination.Requests);
        Assert.Empty(_issuer.Requests);
    }

    private HttpClient Client(string name) => _services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
}
