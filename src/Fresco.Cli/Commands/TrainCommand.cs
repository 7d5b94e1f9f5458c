using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Fresco.Core.Models;
using Fresco.Core.Serialization;
using Fresco.Models;

namespace Fresco.Cli.Commands;

/// <summary>`fresco train`: fits a model on all the data and saves it with its id file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = new ModelArguments();
        var output = new Option<string>("--output", "-o")
        {
            HelpName = "FILE",
            Description = "model file to write; the user and item ids and each user's history go beside it in <output>.ids, which 'fresco recommend' reads",
            Required = true,
        };
        var command = new Command("train", "Train a model on all the data and save it (model file + <output>.ids).");
        data.AddTo(command);
        model.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse => CliAction.Run(() =>
        {
            var name = model.ModelName(parse);
            var options = model.Options(parse);
            var outputPath = parse.GetValue(output)!;
            var dataSet = data.Load(parse);
            var table = dataSet.AllInteractions();
            var matrix = data.Weights(parse, dataSet).BuildMatrix(table);
            var clock = Stopwatch.StartNew();
            IRecommender trained;
            using (var progress = new ConsoleProgress())
            {
                var context = new TrainingContext(new TrainingData(matrix, table, dataSet.BuildCategoryMatrix()), options, Progress: progress);
                trained = ModelCatalog.Train(name, context);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
            ModelCatalog.Save(trained, outputPath);
            var idsPath = ModelIds.PathFor(outputPath);
            new ModelIds(table.Users, table.Items, matrix).Save(idsPath);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trained {name} on {dataSet.Name}: {table.Users.Count} users, {table.Items.Count} items, {table.Count} interactions in {seconds:F2} s"));
            Console.Out.WriteLine($"saved {outputPath} and {idsPath}");
            return CliAction.Ok;
        }));
        return command;
    }
}
