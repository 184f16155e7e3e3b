var builder = DistributedApplication.CreateBuilder(args);

var identity = builder.AddProject<Projects.IdentityService>("identity")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithQuickTierUp()
    .WithoutDevelopmentCertificate()
    .WithSharedStoreWhenPublished()
    .WithKeysEncryptedAtRest()
    .WithCallerAddressFromIngressWhenPublished();

// The one issuer value: the identity service signs with it, every other service expects it.
// Locally everything talks plain http on loopback; a deployment reaches the issuer over https.
var issuer = ReferenceExpression.Create($"{identity.GetEndpoint(builder.ExecutionContext.IsPublishMode ? "https" : "http")}/");
identity.WithEnvironment("IdentityServer__Issuer", issuer);

var profileService = builder.AddProject<Projects.ProfileService>("profileservice")
    .WithGrpcEndpointWhenRun()
    .WithHttpHealthCheck("/health")
    .WithQuickTierUp()
    .WithoutDevelopmentCertificate()
    .WithTokenValidation(identity, issuer)
    .WithApiReferenceUrl();

builder.AddProject<Projects.UserService>("userservice")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithQuickTierUp()
    .WithoutDevelopmentCertificate()
    .WithTokenValidation(identity, issuer)
    .WithTokenExchange(identity, audiences: [profileService])
    .WithTokenDelegation(identity, maxDelegation: TimeSpan.FromHours(24))
    .WithJobStoreWhenPublished()
    .WithJobKeysEncryptedAtRest()
    .WithApiReferenceUrl()
    .WithReference(profileService)
    .WaitFor(profileService);

builder.Build().Run();
