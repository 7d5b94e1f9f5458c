using System.CommandLine;
using Fresco.Core.Models;
using Fresco.Engine.Storage;
using Fresco.Storage.Sqlite;

namespace Fresco.Cli.Commands;

/// <summary>`fresco import`: writes a data set into a server data folder (the embedded store `fresco serve` uses).</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var dataDir = new Option<string>("--data-dir")
        {
            HelpName = "DIR",
            Description = $"server data folder to write into ({SqliteStore.DatabaseFileName}; created when missing, existing rows kept)",
            DefaultValueFactory = _ => "./fresco-data",
        };
        var batch = new Option<int>("--batch")
        {
            HelpName = "N",
            Description = "feedback rows per transaction",
            DefaultValueFactory = _ => 10_000,
        };
        var command = new Command("import", "Load a data set (all of it: a split's train and test parts together) into a server data folder; "
            + "feedback keeps one row per (type, user, item), as the API does.");
        data.AddTo(command, withWeights: false);
        command.Options.Add(dataDir);
        command.Options.Add(batch);
        command.SetAction(parse => CliAction.Run(() =>
        {
            var size = parse.GetValue(batch);
            if (size < 1)
            {
                throw new OptionException($"--batch must be at least 1; got {size}.");
            }
            var dataSet = data.Load(parse);
            var folder = parse.GetValue(dataDir)!;
            var result = Task.Run(async () =>
            {
                await using var store = await SqliteStore.OpenAsync(folder).ConfigureAwait(false);
                return await StoreImport.ImportAsync(store, dataSet, size).ConfigureAwait(false);
            }).GetAwaiter().GetResult();
            var collapsed = result.Collapsed > 0 ? $" ({result.Collapsed} repeated (type, user, item) events kept once)" : "";
            Console.Out.WriteLine($"imported {result.Feedback} feedback rows{collapsed} and {result.Items} items with categories "
                + $"from {dataSet.Name} into {Path.Combine(folder, SqliteStore.DatabaseFileName)}");
            return CliAction.Ok;
        }));
        return command;
    }
}
