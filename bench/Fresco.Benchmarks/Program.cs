using BenchmarkDotNet.Running;
using Fresco.Benchmarks.Timing;

if (args.Length > 0 && args[0] == "ingest")
{
    return await IngestCommand.RunAsync(args);
}
if (args.Length > 0 && args[0] == "engine")
{
    return await EngineCommand.RunAsync(args);
}
if (args.Length > 0 && args[0] == "expire")
{
    return await ExpireCommand.RunAsync(args);
}
if (args.Length > 0 && args[0] == "memory")
{
    return await MemoryCommand.RunAsync(args);
}
if (args.Length > 0 && args[0] == "ann")
{
    return AnnCommand.Run(args);
}
if (args.Length > 0 && args[0] == "transformer")
{
    return TransformerCommand.Run(args);
}
if (args.Length > 0 && TimingCommand.Handles(args[0]))
{
    return TimingCommand.Run(args);
}
BenchmarkSwitcher.FromAssembly(typeof(TimingCommand).Assembly).Run(args);
return 0;
