using Grpc.Core;
using JwtPropagation;
using Microsoft.IdentityModel.JsonWebTokens;
using ProfileService.Grpc;
using Tests.Integration;
using Tests.TokenExchange;

namespace Tests.Grpc;

/// <summary>
/// A gRPC client carries the caller's token through the same propagation handler as an HttpClient:
/// forwarded or exchanged, never without a token, only to its destination.
/// </summary>
[Collection(typeof(GrpcTransport))]
public sealed class GrpcPropagationTests(GrpcTransportApp app)
{
    private const string BothServices = "users.read profiles.read";

    [Fact]
    public async Task Forward_sends_the_callers_token_as_it_is()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = new JsonWebToken(await app.GetTokenAsync("alice", BothServices, cancellationToken));
        await using var propagation = await PropagatingClient.CreateAsync(app, options => options.Mode = TokenPropagationMode.Forward, cancellationToken);

        var profile = await GetMyProfileAsync(propagation, userToken, cancellationToken);

        Assert.Equal("alice", profile.UserId);
        Assert.Equal([userToken.EncodedToken], propagation.SentTokens);
        Assert.Empty(propagation.Exchanges);
    }

    [Fact]
    public async Task Exchange_sends_a_token_for_ProfileService_with_UserService_as_actor_once_per_token()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = new JsonWebToken(await app.GetTokenAsync("user021", BothServices, cancellationToken));
        await using var propagation = await PropagatingClient.CreateAsync(app, options => options.Mode = TokenPropagationMode.Exchange, cancellationToken);

        var first = await GetMyProfileAsync(propagation, userToken, cancellationToken);
        var second = await GetMyProfileAsync(propagation, userToken, cancellationToken);

        Assert.Equal(("user021", "user021"), (first.UserId, second.UserId));
        Assert.Single(propagation.Exchanges);
        var sent = new JsonWebToken(Assert.Single(propagation.SentTokens.Distinct())!);
        Assert.Equal(["profileservice"], sent.Audiences);
        Assert.Equal("user021", sent.Subject);
        Assert.Equal("userservice", sent.GetPayloadValue<System.Text.Json.JsonElement>("act").GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Without_a_token_no_call_is_made()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var propagation = await PropagatingClient.CreateAsync(app, options => options.Mode = TokenPropagationMode.Forward, cancellationToken);

        var failed = await Assert.ThrowsAsync<RpcException>(() => propagation.GrpcClient.GetMyProfileAsync(
            new GetMyProfileRequest(), cancellationToken: cancellationToken).ResponseAsync);

        Assert.IsType<MissingCallerTokenException>(failed.Status.DebugException);
        Assert.Empty(propagation.SentTokens);
    }

    [Fact]
    public async Task The_token_goes_to_its_destination_only()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var userToken = new JsonWebToken(await app.GetTokenAsync("bob", BothServices, cancellationToken));
        // The channel calls ProfileService's gRPC endpoint, which is not where this token may go.
        var elsewhere = new Uri("http://localhost:1");
        await using var lenient = await PropagatingClient.CreateAsync(app, options =>
        {
            options.Mode = TokenPropagationMode.Forward;
            options.Destination = elsewhere;
        }, cancellationToken);
        await using var strict = await PropagatingClient.CreateAsync(app, options =>
        {
            options.Mode = TokenPropagationMode.Forward;
            options.Destination = elsewhere;
            options.StrictDestination = true;
        }, cancellationToken);

        var sentBare = await Assert.ThrowsAsync<RpcException>(() => GetMyProfileAsync(lenient, userToken, cancellationToken));
        var refused = await Assert.ThrowsAsync<RpcException>(() => GetMyProfileAsync(strict, userToken, cancellationToken));

        // Lenient: the call went out without the token, and ProfileService turned it away.
        Assert.Equal(StatusCode.Unauthenticated, sentBare.StatusCode);
        Assert.Equal([null], lenient.SentTokens);
        // Strict: the call did not go out at all.
        Assert.IsType<TokenDestinationRefusedException>(refused.Status.DebugException);
        Assert.Empty(strict.SentTokens);
    }

    private static async Task<ProfileService.Grpc.UserProfile> GetMyProfileAsync(
        PropagatingClient propagation, JsonWebToken userToken, CancellationToken cancellationToken)
    {
        using (CallerTokenContext.Restore(new CallerToken(userToken.EncodedToken, userToken.Subject, userToken.ValidTo)))
        {
            return await propagation.GrpcClient.GetMyProfileAsync(new GetMyProfileRequest(), cancellationToken: cancellationToken);
        }
    }
}
