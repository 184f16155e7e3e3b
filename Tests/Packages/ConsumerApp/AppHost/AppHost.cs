var builder = DistributedApplication.CreateBuilder(args);

// The issuer: any project that serves OpenID Connect metadata; its path is given on the command line.
var identity = builder.AddProject("identity", builder.Configuration["IssuerProject"]!);
var issuer = ReferenceExpression.Create($"{identity.GetEndpoint("https")}/");

var back = builder.AddProject<Projects.Back>("back")
    .WithTokenValidation(identity, issuer);

builder.AddProject<Projects.Front>("front")
    .WithTokenValidation(identity, issuer)
    .WithTokenExchange(identity, audiences: [back])
    .WithReference(back);

// An issuer outside the app, its authority given at deploy time: a copy of Back trusts it alone.
var partner = builder.AddTokenIssuer("partner", builder.AddParameter("partner-authority"))
    .WithAudience("api://back")
    .WithTokenTypes("JWT");
builder.AddProject<Projects.Back>("partner-back")
    .WithTokenValidation(partner);

builder.Build().Run();
