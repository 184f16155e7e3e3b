using System.Net;
using JwtPropagation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Tests.Delegation;

/// <summary>
/// What <see cref="ITokenDelegation"/> asks of the issuer: a delegation by token exchange
/// (RFC 8693, requested_token_type refresh_token) of the current flow's token, and its end by
/// revocation (RFC 7009), each with this service's client credentials.
/// </summary>
public sealed class TokenDelegationTests : IDisposable
{
    private const string UserToken = "access-token-of-alice";
    private const string IssuedDelegation = "delegation-issued-for-job-7";
    private const int DelegationLifetime = 86_400;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly StandInServer _issuer;
    private readonly ServiceProvider _services;

    // What the issuer says it issued; a test of an issuer that ignores requested_token_type changes it.
    private string _issuedTokenType = StandInServer.RefreshTokenType;

    public TokenDelegationTests()
    {
        _issuer = new StandInServer(request => request.RequestUri == DelegationServices.TokenEndpoint
            ? StandInServer.TokenResponse(IssuedDelegation, DelegationLifetime, _issuedTokenType)
            : new HttpResponseMessage(HttpStatusCode.OK));
        _services = DelegationServices.Create(_issuer, _time);
    }

    private ITokenDelegation Delegations => _services.GetRequiredService<ITokenDelegation>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Capture_exchanges_the_flows_token_for_a_delegation_for_one_audience_and_job()
    {
        var userToken = new CallerToken(UserToken, "alice", _time.GetUtcNow().AddMinutes(5));
        JwtPropagation.Delegation delegation;
        using (CallerTokenContext.Restore(userToken))
        {
            delegation = await Delegations.CaptureAsync(DelegationServices.Audience, "job-7", TestContext.Current.CancellationToken);
        }

        var sent = Assert.Single(_issuer.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(DelegationServices.TokenEndpoint, sent.Uri);
        Assert.Equal((DelegationServices.ClientId, DelegationServices.ClientSecret), sent.BasicCredentials);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
                ["subject_token"] = UserToken,
                ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
                ["requested_token_type"] = "urn:ietf:params:oauth:token-type:refresh_token",
                ["audience"] = DelegationServices.Audience,
                ["job_id"] = "job-7",
            },
            sent.Form);

        Assert.Equal(IssuedDelegation, delegation.Value);
        Assert.Equal("alice", delegation.Subject);
        Assert.Equal(DelegationServices.Audience, delegation.Audience);
        Assert.Equal("job-7", delegation.JobId);
        Assert.Equal(_time.GetUtcNow().AddSeconds(DelegationLifetime), delegation.ExpiresAt);
    }

    [Fact]
    public async Task Capture_refuses_an_access_token_issued_in_place_of_a_delegation()
    {
        _issuedTokenType = StandInServer.AccessTokenType;

        using (CallerTokenContext.Restore(new CallerToken(UserToken, "alice", _time.GetUtcNow().AddMinutes(5))))
        {
            await Assert.ThrowsAsync<TokenExchangeException>(() => Delegations.CaptureAsync("profileservice", "job-7", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Capture_without_a_token_on_the_flow_fails_and_asks_the_issuer_nothing()
    {
        Assert.Null(CallerTokenContext.Current);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Delegations.CaptureAsync(DelegationServices.Audience, "job-7", TestContext.Current.CancellationToken));

        Assert.Empty(_issuer.Requests);
    }

    [Fact]
    public async Task Withdraw_revokes_the_delegation_as_a_refresh_token_with_the_clients_credentials()
    {
        var delegation = DelegationServices.Sample(_time);

        await Delegations.WithdrawAsync(delegation, TestContext.Current.CancellationToken);

        var sent = Assert.Single(_issuer.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(DelegationServices.RevocationEndpoint, sent.Uri);
        Assert.Equal((DelegationServices.ClientId, DelegationServices.ClientSecret), sent.BasicCredentials);
        Assert.Equal(
            new Dictionary<string, string> { ["token"] = delegation.Value, ["token_type_hint"] = "refresh_token" },
            sent.Form);
    }

    [Fact]
    public async Task Withdraw_refused_by_the_issuer_fails_with_its_error()
    {
        var refusing = new StandInServer(_ => StandInServer.Error(HttpStatusCode.Unauthorized, "invalid_client"));
        await using var services = DelegationServices.Create(refusing, _time);

        var refused = await Assert.ThrowsAsync<TokenExchangeException>(() => services.GetRequiredService<ITokenDelegation>()
            .WithdrawAsync(DelegationServices.Sample(_time), TestContext.Current.CancellationToken));

        Assert.False(refused.IssuerUnavailable);
        Assert.Equal("invalid_client", refused.Error);
        Assert.Single(refusing.Requests);
    }
}
