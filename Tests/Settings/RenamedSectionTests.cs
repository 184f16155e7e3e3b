using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Tests.Settings;

/// <summary>
/// The token settings' section is <c>JwtValidation</c>; a service still configured in the old
/// <c>Authentication</c> section does not start, rather than run without what it was given.
/// </summary>
public sealed class RenamedSectionTests
{
    [Theory]
    [InlineData("Authentication:Authority", "https://issuer.test/")]
    [InlineData("Authentication:RevocationFeedKey", "a-feed-key-of-at-least-thirty-two-characters")]
    [InlineData("authentication:validalgorithms:0", "ES256")]
    public async Task A_setting_in_the_old_Authentication_section_stops_the_service_at_start(string key, string value)
    {
        using var app = Build(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("JwtValidation", error.Message, StringComparison.Ordinal);
        Assert.Contains("Authentication:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASP_NET_Cores_own_Authentication_keys_are_not_ours()
    {
        using var app = Build(new()
        {
            ["Authentication:DefaultScheme"] = "Bearer",
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = "userservice",
        });

        Assert.Equal("https://issuer.test/", app.Services.GetRequiredService<IOptions<JwtValidationOptions>>().Value.Authority);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["JwtValidation:Authority"] = "https://issuer.test/" });
        builder.AddJwtBearerAuthentication("userservice");
        return builder.Build();
    }
}
