using BenchmarkDotNet.Running;
using Benchmarks.Baseline;

// `serve-baseline ...`: one of the baseline services. Anything else: BenchmarkDotNet's micro-benchmarks.
return args switch
{
    ["serve-baseline", .. var serviceArgs] => await BaselineServer.RunAsync(serviceArgs),
    _ => RunMicroBenchmarks(args),
};

static int RunMicroBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
