using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Benchmarks.Baseline;

/// <summary>ProfileService's <c>GET /profiles/me</c>, for the user the caller header names.</summary>
internal static class BaselineProfileService
{
    public static WebApplication Build(string[] args)
    {
        var builder = BaselineServer.CreateBuilder(args);
        builder.Services.AddSingleton<ProfileStore>();

        var app = builder.Build();

        app.UseExceptionHandler();
        app.UseStatusCodePages();

        var profiles = app.MapGroup("/profiles");
        app.RequireUnverifiedBearer(profiles);
        app.MapDefaultEndpoints();
        profiles.MapGet("/me", GetMyProfile);

        return app;
    }

    private static Results<Ok<Profile>, ProblemHttpResult> GetMyProfile(
        [FromHeader(Name = CallerHeader.Name)] string userId, ProfileStore store) =>
        store.FindProfile(userId) is { } profile
            ? TypedResults.Ok(profile)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Profile not found",
                detail: $"There is no profile for user '{userId}'.");
}
