using BenchmarkDotNet.Running;

// The per-invocation cost of Portable's executor (span, log scope, metrics, DI scope, JSON) against the least an invocation must do.
// Usage: dotnet run -c Release --project bench/Invocation [-- --filter '*']
BenchmarkSwitcher.FromAssembly(typeof(Portable.Bench.InvocationBenchmarks).Assembly).Run(args);
