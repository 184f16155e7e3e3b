using Microsoft.Extensions.Logging;

namespace Tests.Integration;

/// <summary>What a person sees when they first run the app on a machine set up for nothing but the SDK.</summary>
public sealed class FirstRunTests(DistributedAppFixture app)
{
    [Fact]
    public void The_AppHost_warns_of_nothing_at_start_not_even_of_an_untrusted_development_certificate()
    {
        // The dashboard shows its red notices for the same checks that log these warnings.
        var warnings = app.AppHostMachineCheckLog
            .Where(record => record.Level >= LogLevel.Warning)
            .Select(record => record.Message);

        Assert.Empty(warnings);
    }
}
