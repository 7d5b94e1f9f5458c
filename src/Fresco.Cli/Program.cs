using Fresco.Cli;
using Fresco.Server;

return await FrescoCommand.RunAsync(args, EngineFactory.CreateAsync);
