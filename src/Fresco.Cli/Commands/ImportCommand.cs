using System.CommandLine;
using Fresco.Core.Data;

namespace Fresco.Cli.Commands;

/// <summary>`fresco import`: reads a data set into a store folder that every --data option accepts.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var store = new Option<string>("--store")
        {
            HelpName = "DIR",
            Description = $"store folder to write {InteractionStore.FileName} into (created when missing; an existing snapshot is replaced)",
            Required = true,
        };
        var command = new Command("import", "Load a data set (all of it: a split's train and test parts together) into a store folder.");
        data.AddTo(command, withWeights: false);
        command.Options.Add(store);
        command.SetAction(parse => CliAction.Run(() =>
        {
            var dataSet = data.Load(parse);
            var table = dataSet.AllInteractions();
            var path = InteractionStore.Save(parse.GetValue(store)!, table, dataSet.ItemCategories);
            Console.Out.WriteLine($"imported {table.Count} interactions ({table.Users.Count} users, {table.Items.Count} items, "
                + $"{table.EventTypes.Count} event types) from {dataSet.Name} into {path}");
            return CliAction.Ok;
        }));
        return command;
    }
}
