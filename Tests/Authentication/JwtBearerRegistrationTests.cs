using JwtPropagation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Tests.Authentication;

/// <summary>Token validation is added once per service, however often it is asked for, and for one audience only.</summary>
public sealed class JwtBearerRegistrationTests
{
    [Fact]
    public async Task Adding_validation_twice_for_the_same_audience_adds_each_part_once()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.AddJwtBearerAuthentication("profileservice");
        builder.AddJwtBearerAuthentication("profileservice");
        await using var services = builder.Services.BuildServiceProvider();

        var schemes = await services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        var checks = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Single(schemes);
        Assert.Single(checks, check => check.Name == IssuerKeysHealthCheck.Name);
        Assert.Single(services.GetServices<IStartupFilter>().OfType<BearerPipelineStartupFilter>());
    }

    [Fact]
    public void Adding_validation_for_a_second_audience_fails_naming_both()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.AddJwtBearerAuthentication("profileservice");

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddJwtBearerAuthentication("userservice"));

        Assert.Contains("'profileservice'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'userservice'", error.Message, StringComparison.Ordinal);
    }
}
