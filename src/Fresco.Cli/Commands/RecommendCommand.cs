using System.CommandLine;
using System.Globalization;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Core.Serialization;
using Fresco.Models;

namespace Fresco.Cli.Commands;

/// <summary>`fresco recommend`: the top-N items for one user from a saved model.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var modelFile = new Option<string>("--model-file")
        {
            HelpName = "FILE",
            Description = "model file written by 'fresco train' (its <file>.ids must be beside it)",
            Required = true,
        };
        var user = new Option<string>("--user") { HelpName = "ID", Description = "user id as in the training data", Required = true };
        var count = new Option<int>("--n") { HelpName = "N", Description = "number of items", DefaultValueFactory = _ => 10 };
        var includeSeen = new Option<bool>("--include-seen") { Description = "also recommend items the user already interacted with" };
        var command = new Command("recommend", "Print the top-N items for a user (rank, item id, score; tab-separated).")
        {
            modelFile,
            user,
            count,
            includeSeen,
        };
        command.SetAction(parse => CliAction.Run(() =>
        {
            var n = parse.GetValue(count);
            if (n < 1)
            {
                throw new OptionException($"--n must be at least 1, not {n}.");
            }
            var path = parse.GetValue(modelFile)!;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Model file '{path}' not found.", path);
            }
            var model = ModelCatalog.Load(path);
            var ids = ModelIds.Load(ModelIds.PathFor(path));
            if (ids.Items.Count != model.ItemCount)
            {
                throw new InvalidDataException($"{ModelIds.PathFor(path)} names {ids.Items.Count} items but the model scores {model.ItemCount}.");
            }
            var userId = parse.GetValue(user)!;
            UserHistory history;
            if (ids.Users.TryGetIndex(userId, out var userIndex))
            {
                var matrix = ids.History;
                history = new UserHistory(userIndex < model.UserCount ? userIndex : -1, matrix.RowIndices(userIndex), matrix.RowValues(userIndex));
            }
            else
            {
                Console.Error.WriteLine($"fresco: user '{userId}' is not in the training data; recommending for a new user");
                history = UserHistory.Anonymous([], []);
            }
            var results = new ScoredItem[Math.Min(n, model.ItemCount)];
            var written = model.Recommend(history, results, excludeHistory: !parse.GetValue(includeSeen));
            for (var i = 0; i < written; i++)
            {
                var item = results[i];
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1}\t{ids.Items.GetId(item.ItemIndex)}\t{item.Score:G6}"));
            }
            return CliAction.Ok;
        }));
        return command;
    }
}
