using Fresco.Server.Configuration;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Endpoints;

/// <summary>
/// Turns a batch of contracts into engine records, validating all of them before anything is written: a bad row
/// rejects the whole batch with a 400 naming it, a batch over Server:MaxBatch rows answers 413. Thread-safe (stateless).
/// </summary>
internal static class Batch
{
    public delegate string? Converter<in TContract, TRecord>(TContract? contract, string at, out TRecord record);

    public static IResult? TryConvert<TContract, TRecord>(
        TContract?[] contracts, string what, FrescoSettings settings, Converter<TContract, TRecord> convert, out TRecord[] records)
    {
        records = [];
        var max = settings.Server.MaxBatch;
        if (contracts.Length > max)
        {
            return TypedResults.Problem($"the batch has {contracts.Length} {what}; at most {max} are accepted at once (Server:MaxBatch).",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Batch too large");
        }
        var result = new TRecord[contracts.Length];
        for (var i = 0; i < contracts.Length; i++)
        {
            if (convert(contracts[i], $"{what}[{i}]", out result[i]) is { } error)
            {
                return Problems.BadRequest(error);
            }
        }
        records = result;
        return null;
    }
}
