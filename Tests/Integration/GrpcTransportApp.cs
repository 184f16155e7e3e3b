using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Tests.Integration;

/// <summary>The whole app with UserService calling ProfileService over gRPC (<c>ProfileService:Transport</c> = <c>Grpc</c>).</summary>
public sealed class GrpcTransportApp : DistributedAppFixture
{
    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.CreateResourceBuilder<ProjectResource>("userservice").WithEnvironment("ProfileService__Transport", "Grpc");
}

/// <summary>
/// The tests of <see cref="GrpcTransportApp"/>: one app for them all, one test at a time, so a
/// test that stops ProfileService there disturbs no other.
/// </summary>
[CollectionDefinition]
public sealed class GrpcTransport : ICollectionFixture<GrpcTransportApp>;
