using System.Text.Json.Serialization.Metadata;
using Fresco.Server.Configuration;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Reads a batch of contracts and turns it into engine records, validating all of them before anything is written: a
/// bad row rejects the whole batch with a 400 naming it, a batch over Server:MaxBatch rows answers 413 as soon as row
/// MaxBatch + 1 is read (the rest of the body is not parsed). Thread-safe (stateless).
/// </summary>
internal static class Batch
{
    public delegate string? Converter<in TContract, TRecord>(TContract? contract, string at, out TRecord record);

    /// <summary>Reads the body's JSON array and converts it; answers the records, or the problem to answer.</summary>
    public static async Task<(TRecord[] Records, IResult? Problem)> ReadAsync<TContract, TRecord>(
        HttpContext context, JsonTypeInfo<TContract> element, JsonTypeInfo<TContract[]> array, string what,
        FrescoSettings settings, Converter<TContract, TRecord> convert)
        where TContract : class
    {
        var max = settings.Server.MaxBatch;
        var (contracts, error) = await JsonBody.ReadArrayAsync(context, element, array, max, () => TooLarge(what, max)).ConfigureAwait(false);
        if (error is not null)
        {
            return ([], error);
        }
        var problem = TryConvert(contracts!, what, settings, convert, out var records);
        return (records, problem);
    }

    public static IResult? TryConvert<TContract, TRecord>(
        IReadOnlyList<TContract?> contracts, string what, FrescoSettings settings, Converter<TContract, TRecord> convert, out TRecord[] records)
    {
        records = [];
        var max = settings.Server.MaxBatch;
        if (contracts.Count > max)
        {
            return TooLarge(what, max);
        }
        var result = new TRecord[contracts.Count];
        for (var i = 0; i < contracts.Count; i++)
        {
            if (convert(contracts[i], $"{what}[{i}]", out result[i]) is { } error)
            {
                return Problems.BadRequest(error);
            }
        }
        records = result;
        return null;
    }

    private static IResult TooLarge(string what, int max) =>
        TypedResults.Problem($"the batch has more than {max} {what}; at most {max} are accepted at once (Server:MaxBatch).",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Batch too large");
}
