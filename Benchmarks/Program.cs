using BenchmarkDotNet.Running;
using Benchmarks.Baseline;
using Benchmarks.Load;

// `load ...`: the load harness (Load/LoadCommand.cs). `serve-baseline ...`: one of the baseline
// services, as a child process of the harness. Anything else: BenchmarkDotNet's micro-benchmarks.
return args switch
{
    ["load", .. var options] => await LoadCommand.RunAsync(options),
    ["serve-baseline", .. var serviceArgs] => await BaselineServer.RunAsync(serviceArgs),
    _ => RunMicroBenchmarks(args),
};

static int RunMicroBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
