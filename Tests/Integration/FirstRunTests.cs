using Microsoft.Extensions.Logging;

namespace Tests.Integration;

/// <summary>What a person sees when they first run the app on a machine set up for nothing but the SDK.</summary>
public sealed class FirstRunTests(DistributedAppFixture app)
{
    [Fact]
    public void The_AppHost_warns_of_nothing_at_start_not_even_of_an_untrusted_development_certificate()
    {
        // The control: the collector does read the AppHost's machine checks (it logs each at start),
        // so an empty list of warnings below is the checks' verdict, not a logger that hears nothing.
        TestContext.Current.SendDiagnosticMessage(
            $"{app.AppHostMachineCheckLog.Count} records of {DistributedAppFixture.AppHostMachineCheckCategory}: "
            + string.Join(" | ", app.AppHostMachineCheckLog.Select(record => $"{record.Level} {record.Message}")));
        Assert.NotEmpty(app.AppHostMachineCheckLog);

        // The dashboard shows its red notices for the same checks that log these warnings.
        var warnings = app.AppHostMachineCheckLog
            .Where(record => record.Level >= LogLevel.Warning)
            .Select(record => record.Message);

        Assert.Empty(warnings);
    }
}
