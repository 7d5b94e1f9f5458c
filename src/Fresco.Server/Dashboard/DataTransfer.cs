using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fresco.Engine;
using Fresco.Engine.Storage;
using Fresco.Server.Configuration;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Dashboard;

/// <summary>
/// JSON Lines export and import of users, items and feedback (one Gorse contract per line). Export pages through the
/// engine's listings and streams each page as it comes; import reads the body line by line (a line is at most
/// <see cref="MaxLineBytes"/>) and writes batches of Server:MaxBatch through the engine (feedback overwrites, as PUT), so
/// neither holds more than a page in memory. Thread-safe (stateless).
/// </summary>
internal static class DataTransfer
{
    public const string JsonLines = "application/x-ndjson";
    public const int MaxLineBytes = 1024 * 1024;

    private delegate string? TryMap<TContract, TRow>(TContract? contract, string at, DateTimeOffset now, out TRow row);

    public static Task<IResult> ExportAsync(string kind, HttpContext context, IFrescoEngine engine, FrescoSettings settings) => kind switch
    {
        "users" => ExportRowsAsync(context, kind, settings, engine.ListUsersAsync, ContractMapper.ToContract, FrescoJson.Default.UserContract),
        "items" => ExportRowsAsync(context, kind, settings, engine.ListItemsAsync, ContractMapper.ToContract, FrescoJson.Default.ItemContract),
        "feedback" => ExportRowsAsync(context, kind, settings, (cursor, n, ct) => engine.ListFeedbackAsync(cursor, n, null, ct),
            ContractMapper.ToContract, FrescoJson.Default.FeedbackContract),
        _ => Task.FromResult(UnknownKind(kind)),
    };

    public static Task<IResult> ImportAsync(string kind, HttpContext context, IFrescoEngine engine, FrescoSettings settings, TimeProvider time) =>
        kind switch
        {
            "users" => ImportRowsAsync<UserContract, User>(context, settings, time, FrescoJson.Default.UserContract,
                (UserContract? c, string at, DateTimeOffset _, out User row) => ContractMapper.TryToUser(c, at, out row), engine.InsertUsersAsync),
            "items" => ImportRowsAsync<ItemContract, Item>(context, settings, time, FrescoJson.Default.ItemContract,
                (ItemContract? c, string at, DateTimeOffset _, out Item row) => ContractMapper.TryToItem(c, at, out row), engine.InsertItemsAsync),
            "feedback" => ImportRowsAsync<FeedbackContract, Feedback>(context, settings, time, FrescoJson.Default.FeedbackContract,
                ContractMapper.TryToFeedback, (rows, ct) => engine.InsertFeedbackAsync(rows, overwrite: true, ct)),
            _ => Task.FromResult(UnknownKind(kind)),
        };

    private static async Task<IResult> ExportRowsAsync<TRow, TContract>(HttpContext context, string kind, FrescoSettings settings,
        Func<string, int, CancellationToken, Task<Page<TRow>>> list, Func<TRow, TContract> map, JsonTypeInfo<TContract> typeInfo)
    {
        var response = context.Response;
        response.ContentType = JsonLines;
        response.Headers.ContentDisposition = $"attachment; filename=\"{kind}.jsonl\"";
        var pipe = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(pipe);
        var cursor = "";
        do
        {
            var page = await list(cursor, settings.Server.MaxBatch, context.RequestAborted);
            foreach (var row in page.Items)
            {
                JsonSerializer.Serialize(writer, map(row), typeInfo);
                writer.Flush();
                pipe.Write("\n"u8);
                writer.Reset(pipe);
            }
            await pipe.FlushAsync(context.RequestAborted);
            cursor = page.Cursor;
        }
        while (cursor.Length > 0);
        return TypedResults.Empty;
    }

    private static async Task<IResult> ImportRowsAsync<TContract, TRow>(HttpContext context, FrescoSettings settings, TimeProvider time,
        JsonTypeInfo<TContract> typeInfo, TryMap<TContract, TRow> tryMap, Func<IReadOnlyList<TRow>, CancellationToken, Task<int>> insert)
    {
        var cancellationToken = context.RequestAborted;
        var batch = new List<TRow>();
        var written = 0;
        var lineNumber = 0;
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            string? error = null;
            while (error is null && TryTakeLine(ref buffer, read.IsCompleted, out var line))
            {
                lineNumber++;
                if (IsBlank(line))
                {
                    continue;
                }
                error = TryParse(line, $"line {lineNumber}", typeInfo, tryMap, time.GetUtcNow(), out var row);
                if (error is null)
                {
                    batch.Add(row);
                }
                if (batch.Count >= settings.Server.MaxBatch)
                {
                    written += await insert([.. batch], cancellationToken);
                    batch.Clear();
                }
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (error is null && buffer.Length > MaxLineBytes)
            {
                error = $"line {lineNumber + 1} is longer than {MaxLineBytes} bytes";
            }
            if (error is not null)
            {
                return Problems.BadRequest($"{error} ({written} rows before it were written).");
            }
            if (read.IsCompleted)
            {
                break;
            }
        }
        if (batch.Count > 0)
        {
            written += await insert([.. batch], cancellationToken);
        }
        return WriteResults.Rows(written);
    }

    private static string? TryParse<TContract, TRow>(ReadOnlySequence<byte> line, string at, JsonTypeInfo<TContract> typeInfo,
        TryMap<TContract, TRow> tryMap, DateTimeOffset now, out TRow row)
    {
        row = default!;
        try
        {
            var json = new Utf8JsonReader(line);
            return tryMap(JsonSerializer.Deserialize(ref json, typeInfo), at, now, out row);
        }
        catch (JsonException e)
        {
            return $"{at} is not a JSON object of this kind: {e.Message}";
        }
    }

    /// <summary>The next line of <paramref name="buffer"/> (without its newline); at the end of the body, the rest.</summary>
    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, bool completed, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is { } end)
        {
            line = buffer.Slice(0, end);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            return true;
        }
        if (completed && buffer.Length > 0)
        {
            line = buffer;
            buffer = buffer.Slice(buffer.End);
            return true;
        }
        line = default;
        return false;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r"u8) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    private static IResult UnknownKind(string kind) => Problems.NotFound($"unknown data kind '{kind}': users, items or feedback.");
}
