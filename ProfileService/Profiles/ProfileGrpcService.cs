using System.Security.Claims;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using JwtPropagation;
using ProfileService.Grpc;
using ProfilesGrpc = ProfileService.Grpc.Profiles;

namespace ProfileService.Profiles;

/// <summary>
/// The profile operations over gRPC (<c>Protos/profiles.proto</c>): the same data and rules as the
/// HTTP API (<see cref="ProfileEndpoints"/>); its refusals become gRPC statuses. The token was
/// validated, and <see cref="ProfileAccess.ReadScope"/> required, before a call reaches it.
/// </summary>
internal sealed class ProfileGrpcService(ProfileStore store) : ProfilesGrpc.ProfilesBase
{
    private const string UserIdField = "user_id";

    // The HTTP API's WWW-Authenticate header, as gRPC metadata (its keys are lower case).
    private const string ChallengeKey = "www-authenticate";

    public override Task<UserProfile> GetMyProfile(GetMyProfileRequest request, ServerCallContext context) =>
        Task.FromResult(ToMessage(ReadOwn(context, store.FindProfile)));

    public override Task<UserPreferences> GetMyPreferences(GetMyPreferencesRequest request, ServerCallContext context) =>
        Task.FromResult(ToMessage(ReadOwn(context, store.FindPreferences)));

    public override Task<UserActivity> GetMyActivity(GetMyActivityRequest request, ServerCallContext context) =>
        Task.FromResult(ToMessage(ReadOwn(context, store.FindActivity)));

    public override Task<UserProfile> GetProfile(GetProfileRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.UserId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{UserIdField} is required."));
        }

        if (!ProfileAccess.MayRead(User(context), request.UserId))
        {
            // As the HTTP API's 403 does (RFC 6750), say which scope would do.
            throw new RpcException(
                new Status(StatusCode.PermissionDenied, $"Only the user themself, or a caller with the '{ProfileAccess.AdminScope}' scope, may read this profile."),
                new Metadata { { ChallengeKey, BearerChallenge.ForMissingScope(ProfileAccess.AdminScope) } });
        }

        return Task.FromResult(ToMessage(Read(request.UserId, store.FindProfile)));
    }

    private static ClaimsPrincipal User(ServerCallContext context) => context.GetHttpContext().User;

    /// <summary>Reads the data of the token's own subject: whose it is comes from the token alone.</summary>
    private static T ReadOwn<T>(ServerCallContext context, Func<string, T?> find) =>
        User(context).GetSubject() is { } subject
            ? Read(subject, find)
            : throw new RpcException(new Status(StatusCode.PermissionDenied, "The token names no user (it has no 'sub' claim)."));

    private static T Read<T>(string userId, Func<string, T?> find) =>
        find(userId) ?? throw new RpcException(new Status(StatusCode.NotFound, $"There is no profile for user '{userId}'."));

    private static UserProfile ToMessage(Profile profile) => new()
    {
        UserId = profile.UserId,
        DisplayName = profile.DisplayName,
        Email = profile.Email,
        Department = profile.Department,
    };

    private static UserPreferences ToMessage(Preferences preferences) => new()
    {
        UserId = preferences.UserId,
        Language = preferences.Language,
        Theme = preferences.Theme,
        Newsletter = preferences.Newsletter,
    };

    private static UserActivity ToMessage(Activity activity) => new()
    {
        UserId = activity.UserId,
        Recent = { activity.Recent.Select(entry => new UserAction { At = Timestamp.FromDateTimeOffset(entry.At), Action = entry.Action }) },
    };
}
