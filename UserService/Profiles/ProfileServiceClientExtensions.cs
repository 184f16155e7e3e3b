using Refit;
using ProfilesGrpc = ProfileService.Grpc.Profiles;

namespace UserService.Profiles;

public static class ProfileServiceClientExtensions
{
    /// <summary>Where the client's settings live: transport, destination and how the caller's token goes there.</summary>
    public const string SectionName = "ProfileService";

    /// <summary>
    /// The client for ProfileService (<see cref="IProfileServiceClient"/>), over its HTTP API or its
    /// gRPC service as <see cref="ProfileServiceOptions.Transport"/> says, found through service
    /// discovery, carrying the caller's token with every call (exchanged for ProfileService's
    /// audience, unless configured to forward it as is) through the same propagation handler
    /// either way. Its failures become problem details (<see cref="ProfileServiceExceptionHandler"/>).
    /// </summary>
    public static IHostApplicationBuilder AddProfileServiceClient(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        builder.Services.AddOptions<ProfileServiceOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();

        var settings = section.Get<ProfileServiceOptions>() ?? new ProfileServiceOptions();
        if (settings.Transport == ProfileServiceTransport.Grpc)
        {
            builder.Services.AddGrpcClient<ProfilesGrpc.ProfilesClient>(SectionName)
                .AddTokenPropagation(SectionName)
                .AddTokenPropagation(propagation => propagation.Destination = settings.GrpcDestination);
            builder.Services.AddTransient<IProfileServiceClient, GrpcProfileServiceClient>();
        }
        else
        {
            builder.Services.AddRefitGeneratedClient<IProfileServiceClient>(ProfileServiceJsonContext.Default)
                .AddTokenPropagation(SectionName);
        }

        builder.Services.AddExceptionHandler<ProfileServiceExceptionHandler>();

        return builder;
    }
}
