using System.ComponentModel.DataAnnotations;
using JwtPropagation;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Tests.Authentication;

/// <summary>
/// What the services assumed of our own issuer is a setting whose default is that assumption, so an
/// issuer of others is a change of configuration: the name it knows a service by, the type it
/// marks access tokens with, its algorithms, and whether it publishes revocations (the claim it puts
/// scopes in: <see cref="VerifiedTokenHandlerTests"/>).
/// </summary>
public sealed class IssuerSettingsTests
{
    private const string Issuer = "https://issuer.test/";
    private const string Audience = "userservice";

    [Fact]
    public async Task By_default_only_at_jwt_access_tokens_are_accepted()
    {
        var parameters = await ValidationParametersAsync([]);

        Assert.Equal(["at+jwt", "application/at+jwt"], parameters.ValidTypes);
    }

    [Fact]
    public async Task Configured_token_types_replace_at_jwt_rather_than_add_to_it()
    {
        var parameters = await ValidationParametersAsync(new() { ["JwtValidation:TokenTypes:0"] = "JWT" });

        Assert.Equal(["JWT"], parameters.ValidTypes);
    }

    [Fact]
    public async Task Only_RS256_is_accepted_by_default_and_configured_algorithms_replace_it()
    {
        var byDefault = await ValidationParametersAsync([]);
        var configured = await ValidationParametersAsync(new() { ["JwtValidation:ValidAlgorithms:0"] = "ES256" });

        Assert.Equal(["RS256"], byDefault.ValidAlgorithms);
        Assert.Equal(["ES256"], configured.ValidAlgorithms);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("")]
    public void A_symmetric_empty_or_none_algorithm_is_refused_at_start(string algorithm)
    {
        var options = new JwtValidationOptions { Authority = Issuer, Audience = Audience, ValidAlgorithms = [algorithm] };

        var error = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Equal([nameof(JwtValidationOptions.ValidAlgorithms)], error.MemberNames);
    }

    [Fact]
    public void An_empty_token_type_is_refused_at_start()
    {
        var options = new JwtValidationOptions { Authority = Issuer, Audience = Audience, TokenTypes = [""] };

        var error = Assert.Single(options.Validate(new ValidationContext(options)));

        Assert.Equal([nameof(JwtValidationOptions.TokenTypes)], error.MemberNames);
    }

    [Fact]
    public async Task The_audience_is_the_name_the_service_gives_itself_unless_the_issuer_knows_it_by_another()
    {
        var byDefault = await ValidationParametersAsync([]);
        var configured = await ValidationParametersAsync(new() { ["JwtValidation:Audience"] = "api://contoso-users" });

        Assert.Equal(Audience, byDefault.ValidAudience);
        Assert.Equal("api://contoso-users", configured.ValidAudience);
    }

    [Fact]
    public async Task An_empty_revocation_feed_is_none_and_readiness_does_not_wait_for_one()
    {
        // As an app host or platform hands a setting it clears: an empty environment variable.
        await using var services = CreateServices(new() { ["JwtValidation:RevocationFeed"] = "", ["JwtValidation:RevocationFeedKey"] = "" });

        var options = services.GetRequiredService<IOptions<JwtValidationOptions>>().Value;
        var health = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(
            check => check.Name == RevocationFeedHealthCheck.Name, TestContext.Current.CancellationToken);

        Assert.Null(options.RevocationFeed);
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    private async Task<TokenValidationParameters> ValidationParametersAsync(Dictionary<string, string?> settings)
    {
        await using var services = CreateServices(settings);
        return services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
    }

    private static ServiceProvider CreateServices(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["JwtValidation:Authority"] = Issuer });
        builder.AddJwtBearerAuthentication(Audience);
        return builder.Services.BuildServiceProvider();
    }
}
