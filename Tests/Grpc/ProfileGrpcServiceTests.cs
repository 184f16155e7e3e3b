using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using ProfileService.Grpc;
using Tests.Integration;
using ProfilesGrpc = ProfileService.Grpc.Profiles;

namespace Tests.Grpc;

/// <summary>
/// ProfileService's gRPC service, called directly as any gRPC client would: the same validation and
/// scope rules as its HTTP API, refusals as gRPC statuses, the token read from <c>authorization</c> only.
/// </summary>
[Collection(typeof(GrpcTransport))]
public sealed class ProfileGrpcServiceTests(GrpcTransportApp app) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(app.App.GetEndpoint("profileservice", "grpc"));

    private ProfilesGrpc.ProfilesClient Profiles => new(_channel);

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task A_users_token_reads_their_own_profile_preferences_and_activity()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var options = WithToken(await app.GetTokenAsync("bob", "profiles.read", cancellationToken), cancellationToken);

        var profile = await Profiles.GetMyProfileAsync(new GetMyProfileRequest(), options);
        var preferences = await Profiles.GetMyPreferencesAsync(new GetMyPreferencesRequest(), options);
        var activity = await Profiles.GetMyActivityAsync(new GetMyActivityRequest(), options);
        var byId = await Profiles.GetProfileAsync(new GetProfileRequest { UserId = "bob" }, options);

        Assert.Equal(("bob", "Bob Builder", "bob@example.com", "Operations"), (profile.UserId, profile.DisplayName, profile.Email, profile.Department));
        Assert.Equal(profile, byId);
        Assert.Equal("bob", preferences.UserId);
        Assert.Equal("bob", activity.UserId);
        Assert.Equal(3, activity.Recent.Count);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), activity.Recent[0].At.ToDateTimeOffset());
    }

    [Fact]
    public async Task A_call_without_a_token_is_unauthenticated()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => Profiles.GetMyProfileAsync(
            new GetMyProfileRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_unauthenticated()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // users.read alone: a token for UserService, not for ProfileService.
        var options = WithToken(await app.GetTokenAsync("alice", "users.read", cancellationToken), cancellationToken);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Profiles.GetMyProfileAsync(new GetMyProfileRequest(), options).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Theory]
    [InlineData("x-authorization", "Bearer {0}")]
    [InlineData("access-token", "{0}")]
    [InlineData("token", "Bearer {0}")]
    public async Task A_valid_token_in_any_metadata_entry_but_authorization_is_not_read(string key, string format)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await app.GetTokenAsync("alice", "profiles.read", cancellationToken);
        var elsewhere = new Metadata { { key, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, token) } };

        var refused = await Assert.ThrowsAsync<RpcException>(() => Profiles.GetMyProfileAsync(
            new GetMyProfileRequest(), new CallOptions(elsewhere, cancellationToken: cancellationToken)).ResponseAsync);
        // The control: the same token where it belongs.
        var profile = await Profiles.GetMyProfileAsync(new GetMyProfileRequest(), WithToken(token, cancellationToken));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("alice", profile.UserId);
    }

    [Fact]
    public async Task Another_users_profile_needs_the_admin_scope_and_the_refusal_names_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var bob = WithToken(await app.GetTokenAsync("bob", "profiles.read", cancellationToken), cancellationToken);
        var admin = WithToken(await app.GetTokenAsync(DistributedAppFixture.AdminUser, "profiles.read profiles.admin", cancellationToken), cancellationToken);

        var other = await Assert.ThrowsAsync<RpcException>(() => Profiles.GetProfileAsync(new GetProfileRequest { UserId = "alice" }, bob).ResponseAsync);
        // Refused before the lookup: an unknown user looks the same as a known one.
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Profiles.GetProfileAsync(new GetProfileRequest { UserId = "nobody" }, bob).ResponseAsync);
        var alice = await Profiles.GetProfileAsync(new GetProfileRequest { UserId = "alice" }, admin);
        var missing = await Assert.ThrowsAsync<RpcException>(() => Profiles.GetProfileAsync(new GetProfileRequest { UserId = "nobody" }, admin).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (other.StatusCode, unknown.StatusCode));
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"profiles.admin\"", other.Trailers.GetValue("www-authenticate"));
        Assert.Equal("alice", alice.UserId);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_token_addressed_to_ProfileService_without_profiles_read_is_denied()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var options = WithToken(await app.GetTokenAsync(DistributedAppFixture.AdminUser, "profiles.admin", cancellationToken), cancellationToken);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Profiles.GetMyProfileAsync(new GetMyProfileRequest(), options).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task A_request_without_a_user_id_is_an_invalid_argument()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var options = WithToken(await app.GetTokenAsync(DistributedAppFixture.AdminUser, "profiles.read profiles.admin", cancellationToken), cancellationToken);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Profiles.GetProfileAsync(new GetProfileRequest(), options).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_unauthenticated()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var expired = app.Forge.Mint("alice", ["profileservice"], DateTimeOffset.UtcNow.AddMinutes(-20), TimeSpan.FromMinutes(15), "profiles.read");

        var refused = await Assert.ThrowsAsync<RpcException>(() => Profiles.GetMyProfileAsync(
            new GetMyProfileRequest(), WithToken(expired, cancellationToken)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    private static CallOptions WithToken(string token, CancellationToken cancellationToken) =>
        new(new Metadata { { "authorization", $"Bearer {token}" } }, cancellationToken: cancellationToken);
}
