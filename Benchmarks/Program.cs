using BenchmarkDotNet.Running;

// BenchmarkDotNet's micro-benchmarks.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
