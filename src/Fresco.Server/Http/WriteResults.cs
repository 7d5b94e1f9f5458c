using Fresco.Server.Contracts;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Http;

/// <summary>Gorse's answer to a write: <c>{"RowAffected": n}</c>. Thread-safe (stateless).</summary>
internal static class WriteResults
{
    public static IResult Rows(int count) => TypedResults.Json(new WriteResult(count), FrescoJson.Default.WriteResult);
}
