using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fresco.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Server.Http;

/// <summary>
/// Reads a request body as JSON with source-generated metadata, turning every failure into a problem answer: empty
/// body, malformed JSON or wrong types (400, with the JSON path), a body over the limit (413). Thread-safe (stateless).
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var request = context.Request;
        var limit = context.RequestServices.GetRequiredService<FrescoSettings>().Server.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, Problems.TooLarge(limit));
        }
        if (request.ContentLength == 0)
        {
            return (null, Problems.BadRequest("the request body is empty; a JSON document was expected."));
        }
        try
        {
            await using var body = new LimitedReadStream(request.Body, limit);
            var value = await JsonSerializer.DeserializeAsync(body, typeInfo, context.RequestAborted).ConfigureAwait(false);
            return value is null
                ? (null, Problems.BadRequest("the request body is JSON null; a JSON document was expected."))
                : (value, null);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Message.Contains("Path:", StringComparison.Ordinal) ? "" : $" (at {e.Path})";
            return (null, Problems.BadRequest($"the request body is not valid: {e.Message}{where}"));
        }
        catch (BodyTooLargeException)
        {
            return (null, Problems.TooLarge(limit));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(limit));
        }
    }
}
