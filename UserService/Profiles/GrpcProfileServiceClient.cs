using Grpc.Core;
using Microsoft.Extensions.Options;
using ProfileService.Grpc;
using ProfilesGrpc = ProfileService.Grpc.Profiles;

namespace UserService.Profiles;

/// <summary>
/// ProfileService's gRPC service behind the same interface as its HTTP API, so nothing else in
/// UserService knows which transport it uses. Every call carries a deadline; its token is set by
/// the same propagation handler as an HTTP call's.
/// </summary>
public sealed class GrpcProfileServiceClient(
    ProfilesGrpc.ProfilesClient profiles, IOptions<ProfileServiceOptions> options, TimeProvider timeProvider) : IProfileServiceClient
{
    private readonly TimeSpan _deadline = options.Value.GrpcDeadline;

    public async Task<Profile> GetMyProfileAsync(CancellationToken cancellationToken) =>
        ToProfile(await CallAsync(profiles.GetMyProfileAsync(new GetMyProfileRequest(), CallOptions(cancellationToken)), cancellationToken));

    public async Task<Preferences> GetMyPreferencesAsync(CancellationToken cancellationToken)
    {
        var preferences = await CallAsync(profiles.GetMyPreferencesAsync(new GetMyPreferencesRequest(), CallOptions(cancellationToken)), cancellationToken);
        return new Preferences(preferences.UserId, preferences.Language, preferences.Theme, preferences.Newsletter);
    }

    public async Task<Activity> GetMyActivityAsync(CancellationToken cancellationToken)
    {
        var activity = await CallAsync(profiles.GetMyActivityAsync(new GetMyActivityRequest(), CallOptions(cancellationToken)), cancellationToken);
        return new Activity(activity.UserId, [.. activity.Recent.Select(action => new ActivityEntry(action.At.ToDateTimeOffset(), action.Action))]);
    }

    public async Task<Profile> GetProfileAsync(string userId, CancellationToken cancellationToken) =>
        ToProfile(await CallAsync(profiles.GetProfileAsync(new GetProfileRequest { UserId = userId }, CallOptions(cancellationToken)), cancellationToken));

    private CallOptions CallOptions(CancellationToken cancellationToken) =>
        new(deadline: timeProvider.GetUtcNow().UtcDateTime + _deadline, cancellationToken: cancellationToken);

    /// <summary>
    /// The call's answer. A caller who gave up gets <see cref="OperationCanceledException"/>, as
    /// from an HttpClient; a deadline that passed stays <c>DeadlineExceeded</c>, which is
    /// ProfileService not answering in time.
    /// </summary>
    private static async Task<T> CallAsync<T>(AsyncUnaryCall<T> call, CancellationToken cancellationToken)
    {
        using (call)
        {
            try
            {
                return await call;
            }
            catch (RpcException cancelled) when (cancelled.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancelled.Status.Detail, cancelled, cancellationToken);
            }
        }
    }

    private static Profile ToProfile(UserProfile profile) =>
        new(profile.UserId, profile.DisplayName, profile.Email, profile.Department);
}
