using System.CommandLine;
using System.Globalization;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Core.Serialization;
using Fresco.Models;

namespace Fresco.Cli.Commands;

/// <summary>`fresco recommend`: the top-N items for one user, or the items most similar to one item, from a saved model.</summary>
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
        var user = new Option<string>("--user") { HelpName = "ID", Description = "user id as in the training data" };
        var item = new Option<string>("--item") { HelpName = "ID", Description = "item id: print the items most similar to it instead (itemknn, als, bpr, ease)" };
        var count = new Option<int>("--n") { HelpName = "N", Description = "number of items", DefaultValueFactory = _ => 10 };
        var includeSeen = new Option<bool>("--include-seen") { Description = "also recommend items the user already interacted with" };
        var command = new Command("recommend", "Print the top-N items for a user, or the items most similar to an item (rank, item id, score; tab-separated).")
        {
            modelFile,
            user,
            item,
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
            var userId = parse.GetValue(user);
            var itemId = parse.GetValue(item);
            if ((userId is null) == (itemId is null))
            {
                throw new OptionException("Give exactly one of --user and --item.");
            }
            var model = ModelCatalog.Load(path);
            var ids = ModelIds.Load(ModelIds.PathFor(path));
            if (ids.Items.Count != model.ItemCount)
            {
                throw new InvalidDataException($"{ModelIds.PathFor(path)} names {ids.Items.Count} items but the model scores {model.ItemCount}.");
            }
            var results = new ScoredItem[Math.Min(n, model.ItemCount)];
            if (itemId is not null)
            {
                if (!ids.Items.TryGetIndex(itemId, out var itemIndex))
                {
                    throw new OptionException($"Item '{itemId}' is not in the training data.");
                }
                var similar = model.SimilarItems(itemIndex, results);
                if (similar == 0 && model.ItemCount > 1)
                {
                    throw new OptionException($"Model '{model.Kind}' has no notion of item similarity.");
                }
                Print(results.AsSpan(0, similar), ids);
                return CliAction.Ok;
            }
            UserHistory history;
            if (ids.Users.TryGetIndex(userId!, out var userIndex))
            {
                var matrix = ids.History;
                history = new UserHistory(userIndex < model.UserCount ? userIndex : -1, matrix.RowIndices(userIndex), matrix.RowValues(userIndex));
            }
            else
            {
                Console.Error.WriteLine($"fresco: user '{userId}' is not in the training data; recommending for a new user");
                history = UserHistory.Anonymous([], []);
            }
            var written = model.Recommend(history, results, excludeHistory: !parse.GetValue(includeSeen));
            Print(results.AsSpan(0, written), ids);
            return CliAction.Ok;
        }));
        return command;
    }

    private static void Print(ReadOnlySpan<ScoredItem> results, ModelIds ids)
    {
        for (var i = 0; i < results.Length; i++)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1}\t{ids.Items.GetId(results[i].ItemIndex)}\t{results[i].Score:G6}"));
        }
    }
}
