using System.Security.Claims;
using JwtPropagation;

var builder = WebApplication.CreateBuilder(args);
builder.AddJwtBearerAuthentication(audience: "profileservice");

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapGet("/whoami", (ClaimsPrincipal user) => user.GetSubject()).RequireTokenScope("profiles.read");
app.Run();
