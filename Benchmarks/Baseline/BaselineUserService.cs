using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Refit;

namespace Benchmarks.Baseline;

/// <summary>
/// UserService's <c>GET /users/me</c>: the caller's profile, fetched from the baseline profile
/// service with the same kind of client (Refit, source-generated JSON, found through service
/// discovery), passing the caller header on.
/// </summary>
internal static class BaselineUserService
{
    // As UserService's appsettings.json names ProfileService; resolved from services__profileservice__*.
    private static readonly Uri ProfileServiceAddress = new("https+http://profileservice");

    public static WebApplication Build(string[] args)
    {
        var builder = BaselineServer.CreateBuilder(args);
        builder.Services.AddRefitGeneratedClient<IProfileServiceClient>(ProfileServiceJsonContext.Default)
            .ConfigureHttpClient(client => client.BaseAddress = ProfileServiceAddress)
            .ForwardsUnverifiedBearer(builder.Configuration);

        var app = builder.Build();

        app.UseExceptionHandler();
        app.UseStatusCodePages();

        var users = app.MapGroup("/users");
        app.RequireUnverifiedBearer(users);
        app.MapDefaultEndpoints();
        users.MapGet("/me", GetMe);

        return app;
    }

    private static async Task<UserResponse> GetMe(
        [FromHeader(Name = CallerHeader.Name)] string userId, IProfileServiceClient profiles, CancellationToken cancellationToken)
    {
        var profile = await profiles.GetMyProfileAsync(userId, cancellationToken);
        return new UserResponse(profile.UserId, profile);
    }
}
