namespace Benchmarks.Load.Services;

/// <summary>What every measured service's environment holds, baseline and real alike.</summary>
internal static class ServiceEnvironment
{
    public static Dictionary<string, string> Measured() => new()
    {
        // As deployed.
        ["ASPNETCORE_ENVIRONMENT"] = "Production",

        // Server GC: the Web SDK writes it into the real services' runtimeconfig.json but not into
        // this console project's, which serves the baseline. Set for every measured child, so both
        // sides run the same collector whatever the harness's own environment says.
        ["DOTNET_gcServer"] = "1",

        // As the AppHost gives every service (AppHost/WarmStartExtensions.cs): hot code optimized
        // without waiting for the jitting to stop. Set for the baseline too, like for like.
        ["DOTNET_TC_CallCountingDelayMs"] = "0",
    };
}
