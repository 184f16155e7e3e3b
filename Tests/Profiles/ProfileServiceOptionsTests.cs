using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using UserService.Profiles;

namespace Tests.Profiles;

/// <summary>UserService's transport settings are checked at start-up, with errors that say what to fix.</summary>
public sealed class ProfileServiceOptionsTests
{
    [Theory]
    [InlineData("Http", null, true)]
    [InlineData("Grpc", "http://_grpc.profileservice", true)]
    [InlineData("Grpc", "https://_grpc.profileservice", true)]
    [InlineData("Grpc", "https+http://_grpc.profileservice", false)]
    [InlineData("Grpc", "/profiles", false)]
    [InlineData("Grpc", null, false)]
    public void The_gRPC_transport_needs_an_http_or_https_destination(string transport, string? grpcDestination, bool valid)
    {
        var options = Bind(new() { ["Transport"] = transport, ["GrpcDestination"] = grpcDestination });

        var results = Validate(options);

        Assert.Equal(valid, results.Count == 0);
        Assert.All(results, result => Assert.Contains("GrpcDestination", result.MemberNames));
    }

    [Fact]
    public void The_deadline_is_the_HTTP_calls_total_time_out_unless_set_and_must_be_positive()
    {
        var defaults = Bind(new() { ["Transport"] = "Grpc", ["GrpcDestination"] = "http://_grpc.profileservice" });
        var zero = Bind(new() { ["Transport"] = "Grpc", ["GrpcDestination"] = "http://_grpc.profileservice", ["GrpcDeadline"] = "00:00:00" });

        Assert.Equal(TimeSpan.FromSeconds(5), defaults.GrpcDeadline);
        Assert.Contains(Validate(zero), result => result.MemberNames.Contains("GrpcDeadline"));
    }

    [Fact]
    public void An_unknown_transport_is_refused_naming_the_setting()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Bind(new() { ["Transport"] = "Grcp" }));

        Assert.Contains("ProfileService:Transport", refused.Message, StringComparison.Ordinal);
    }

    private static ProfileServiceOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(setting => $"{ProfileServiceClientExtensions.SectionName}:{setting.Key}", setting => setting.Value))
            .Build().GetSection(ProfileServiceClientExtensions.SectionName).Get<ProfileServiceOptions>() ?? new ProfileServiceOptions();

    private static List<ValidationResult> Validate(ProfileServiceOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
