using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Data.Preprocessing;
using Fresco.Core.Data.Readers;
using Fresco.Core.Models;
using Fresco.Engine.Storage;
using Fresco.Storage.Sqlite;

namespace Fresco.Cli.Commands;

/// <summary>The options every data-reading command shares (source, format, weights, preprocessing) and how they load a data set.</summary>
internal sealed class DataOptions
{
    /// <summary>The format name of a server data folder (the embedded SQLite store).</summary>
    public const string StoreFormat = "store";

    private readonly Option<string> _data = new("--data")
    {
        HelpName = "PATH",
        Description = "data file or folder: MovieLens u.data/ratings.dat/ratings.csv, a sequence file, a folder with train.txt+test.txt, an events CSV, or a data folder of 'fresco import' / 'fresco serve' (fresco.db)",
        Required = true,
    };

    private readonly Option<string?> _format = new("--format")
    {
        HelpName = "FORMAT",
        Description = $"data format ({string.Join(", ", DataFormat.All)}, {StoreFormat}); detected when omitted",
    };

    private readonly Option<string?> _columns = new("--columns")
    {
        HelpName = "NAME=INDEX,...",
        Description = "events CSV columns (0-based), e.g. \"user=0,item=1,type=3,time=4,category=2,value=5\"; detected when omitted",
    };

    private readonly Option<string?> _weights = new("--weights")
    {
        HelpName = "TYPE=WEIGHT,...",
        Description = "event weights, e.g. \"view=1,cart=3,buy=5,rating=value\"; default: 1 for every event, or the e-commerce weights (view 1, fav 2, cart 3, buy 5, ...) when the data has event types",
    };

    private readonly Option<string?> _dedupe = new("--dedupe")
    {
        HelpName = "first|last",
        Description = "keep one event per user-item pair: first (default) or last",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<int> _minUser = new("--min-user-interactions") { HelpName = "N", Description = "drop users with fewer interactions (iterative k-core)" };

    private readonly Option<int> _minItem = new("--min-item-interactions") { HelpName = "N", Description = "drop items with fewer interactions (iterative k-core)" };

    private readonly Option<float?> _ratingThreshold = new("--rating-threshold") { HelpName = "X", Description = "keep rating events with a value at least this" };

    private readonly Option<double?> _timeWindow = new("--time-window-days") { HelpName = "DAYS", Description = "keep events of the last N days before the newest event" };

    private bool _withWeights;

    public void AddTo(Command command, bool withWeights = true)
    {
        command.Options.Add(_data);
        command.Options.Add(_format);
        command.Options.Add(_columns);
        _withWeights = withWeights;
        if (withWeights)
        {
            command.Options.Add(_weights);
        }
        command.Options.Add(_dedupe);
        command.Options.Add(_minUser);
        command.Options.Add(_minItem);
        command.Options.Add(_ratingThreshold);
        command.Options.Add(_timeWindow);
    }

    /// <summary>Reads and preprocesses the data set, reporting skipped rows and filtering on stderr.</summary>
    public DataSet Load(ParseResult parse)
    {
        var path = parse.GetValue(_data)!;
        GivenWeights(parse); // a bad --weights fails before the data is read
        var readOptions = ReadOptionsParser.Parse(parse.GetValue(_format), parse.GetValue(_columns));
        var clock = Stopwatch.StartNew();
        var data = IsStore(path, parse.GetValue(_format)) ? ReadStore(path) : DataReader.Read(path, readOptions);
        var report = data.Report;
        var test = data.Test is null ? "" : $" + {data.Test.Count} test";
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fresco: read {data.Name} ({report.Format}): {data.Interactions.Count}{test} interactions, {data.Interactions.Users.Count} users, {data.Interactions.Items.Count} items in {clock.Elapsed.TotalSeconds:F2} s"));
        if (report.RowsSkipped > 0)
        {
            Console.Error.WriteLine($"fresco: skipped {report.RowsSkipped} malformed rows of {path}; first: {string.Join("; ", report.FirstProblems)}");
        }
        var preprocess = Preprocessing(parse);
        if (preprocess.LastDays is not null && !data.Interactions.HasTimestamps)
        {
            throw new OptionException($"--time-window-days needs timestamps, and {path} has none.");
        }
        if (!preprocess.IsEmpty)
        {
            var before = data.Interactions.Count;
            data = preprocess.Apply(data);
            var rows = data.Interactions.Rows;
            var users = new HashSet<int>();
            var items = new HashSet<int>();
            foreach (ref readonly var row in rows)
            {
                users.Add(row.UserIndex);
                items.Add(row.ItemIndex);
            }
            Console.Error.WriteLine($"fresco: preprocessing kept {rows.Length} of {before} interactions ({users.Count} users, {items.Count} items with data)");
            if (data.Interactions.Count == 0)
            {
                throw new InvalidDataException($"{path}: preprocessing left no interactions.");
            }
        }
        return data;
    }

    /// <summary>The weights given by --weights, else the default for the data's event types.</summary>
    public EventWeights Weights(ParseResult parse, DataSet data)
    {
        if (GivenWeights(parse) is { } given)
        {
            return given;
        }
        var typed = data.Interactions.EventTypes.Ids.Any(t => t is not (MovieLensEventType or SequenceEventType));
        return typed ? EventWeights.ECommerce : EventWeights.Uniform;
    }

    private EventWeights? GivenWeights(ParseResult parse)
    {
        var text = _withWeights ? parse.GetValue(_weights) : null;
        return string.IsNullOrWhiteSpace(text) ? null : EventWeights.Parse(text);
    }

    private const string MovieLensEventType = "rating";
    private const string SequenceEventType = "interaction";

    private PreprocessOptions Preprocessing(ParseResult parse)
    {
        DuplicateKeep? dedupe = null;
        if (parse.GetResult(_dedupe) is not null)
        {
            dedupe = parse.GetValue(_dedupe)?.ToLowerInvariant() switch
            {
                null or "" or "first" => DuplicateKeep.First,
                "last" => DuplicateKeep.Last,
                var other => throw new OptionException($"--dedupe takes first or last, not '{other}'."),
            };
        }
        var minUser = parse.GetValue(_minUser);
        var minItem = parse.GetValue(_minItem);
        var days = parse.GetValue(_timeWindow);
        if (minUser < 0 || minItem < 0 || days <= 0)
        {
            throw new OptionException("--min-user-interactions and --min-item-interactions must be >= 0, and --time-window-days > 0.");
        }
        return new PreprocessOptions
        {
            Dedupe = dedupe,
            MinUserInteractions = minUser,
            MinItemInteractions = minItem,
            RatingThreshold = parse.GetValue(_ratingThreshold),
            LastDays = days,
        };
    }

    private static bool IsStore(string path, string? format) =>
        format == StoreFormat || (format is null && File.Exists(Path.Combine(path, SqliteStore.DatabaseFileName)));

    private static DataSet ReadStore(string path)
    {
        if (!File.Exists(Path.Combine(path, SqliteStore.DatabaseFileName)))
        {
            throw new OptionException($"{path}: no {SqliteStore.DatabaseFileName} in this folder (write one with 'fresco import --data-dir {path}').");
        }
        return Task.Run(async () =>
        {
            await using var store = await SqliteStore.OpenAsync(path).ConfigureAwait(false);
            var data = await StoreImport.ReadAsync(store, Path.GetFileName(Path.GetFullPath(path).TrimEnd('/'))).ConfigureAwait(false);
            return data.Interactions.Count > 0 ? data : throw new InvalidDataException($"{path}: the store has no feedback.");
        }).GetAwaiter().GetResult();
    }
}
