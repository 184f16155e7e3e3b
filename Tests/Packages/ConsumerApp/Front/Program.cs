using System.Security.Claims;
using JwtPropagation;

var builder = WebApplication.CreateBuilder(args);
builder.AddJwtBearerAuthentication(audience: "userservice");
builder.Services.AddHttpClient("back").AddTokenPropagation("Back");

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapGet("/whoami", async (ClaimsPrincipal user, IHttpClientFactory clients, CancellationToken cancellationToken) => new
{
    Front = user.GetSubject(),
    Back = await clients.CreateClient("back").GetStringAsync(new Uri("/whoami", UriKind.Relative), cancellationToken),
}).RequireTokenScope("users.read");
app.Run();
