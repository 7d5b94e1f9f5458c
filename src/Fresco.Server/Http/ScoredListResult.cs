using System.Text.Json;
using Fresco.Engine.Serving;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Http;

/// <summary>
/// Writes an engine answer straight into the response pipe: a JSON array of ids, of <c>{"Id","Score"}</c>, or with
/// <c>explain</c> of <c>{"Id","Score","Source"}</c>; with a recommendation id, the header <c>X-Recommendation-Id</c> and,
/// in the scored form, a <c>"RecommId"</c> per entry. No intermediate objects; the writer is reused per thread.
/// Immutable; each execution is independent.
/// </summary>
internal sealed class ScoredListResult(IReadOnlyList<ScoredId> list, bool scored, bool explain, string? recommId = null) : IResult
{
    public const string RecommendationIdHeader = "X-Recommendation-Id";

    private static readonly JsonEncodedText s_recommId = JsonEncodedText.Encode("RecommId");
    private static readonly JsonEncodedText s_id = JsonEncodedText.Encode("Id");
    private static readonly JsonEncodedText s_score = JsonEncodedText.Encode("Score");
    private static readonly JsonEncodedText s_source = JsonEncodedText.Encode("Source");

    [ThreadStatic]
    private static Utf8JsonWriter? s_writer;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        if (recommId is not null)
        {
            response.Headers[RecommendationIdHeader] = recommId;
        }
        var writer = s_writer ??= new Utf8JsonWriter(Stream.Null);
        writer.Reset(response.BodyWriter);
        try
        {
            Write(writer);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        for (var i = 0; i < list.Count; i++)
        {
            var entry = list[i];
            if (!scored)
            {
                writer.WriteStringValue(entry.Id);
                continue;
            }
            writer.WriteStartObject();
            writer.WriteString(s_id, entry.Id);
            writer.WriteNumber(s_score, float.IsFinite(entry.Score) ? entry.Score : float.IsNaN(entry.Score) ? 0f : MathF.CopySign(float.MaxValue, entry.Score));
            if (explain)
            {
                writer.WriteString(s_source, entry.Source);
            }
            if (recommId is not null)
            {
                writer.WriteString(s_recommId, recommId);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
