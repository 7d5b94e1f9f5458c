using Fresco.Cli;

return await FrescoCommand.RunAsync(args);
