using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fresco.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Server.Http;

/// <summary>
/// Reads a request body as JSON with source-generated metadata, turning every failure into a problem answer: empty
/// body, malformed JSON or wrong types (400, with the JSON path), a body over the limit (413). Arrays are read element
/// by element and refused as soon as they pass their element limit, before the rest of the body is read. Thread-safe
/// (stateless).
/// </summary>
internal static class JsonBody
{
    public static Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class =>
        ReadBodyAsync<T>(context, async (body, cancellationToken) =>
        {
            var value = await JsonSerializer.DeserializeAsync(body, typeInfo, cancellationToken).ConfigureAwait(false);
            return value is null ? (null, JsonNull()) : (value, null);
        });

    /// <summary>
    /// Reads a JSON array of at most <paramref name="maxElements"/> elements, streaming: the answer is
    /// <paramref name="tooMany"/> once element <paramref name="maxElements"/> + 1 is read, so an oversized array is never
    /// materialised (at most one read buffer of elements beyond the limit). A body that is not an array is read whole
    /// through <paramref name="arrayInfo"/>, for the same errors as <see cref="ReadAsync{T}"/>.
    /// </summary>
    public static Task<(List<T?>? Values, IResult? Error)> ReadArrayAsync<T>(
        HttpContext context, JsonTypeInfo<T> elementInfo, JsonTypeInfo<T[]> arrayInfo, int maxElements, Func<IResult> tooMany)
        where T : class =>
        ReadBodyAsync<List<T?>>(context, async (body, cancellationToken) =>
        {
            var pipe = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: true));
            try
            {
                await using var stream = pipe.AsStream(leaveOpen: true);
                if (!await StartsWithArrayAsync(pipe, cancellationToken).ConfigureAwait(false))
                {
                    var whole = await JsonSerializer.DeserializeAsync(stream, arrayInfo, cancellationToken).ConfigureAwait(false);
                    return whole is null ? (null, JsonNull())
                        : whole.Length > maxElements ? (null, tooMany())
                        : ([.. whole], null);
                }
                var values = new List<T?>();
                await foreach (var value in JsonSerializer.DeserializeAsyncEnumerable(stream, elementInfo, cancellationToken).ConfigureAwait(false))
                {
                    if (values.Count == maxElements)
                    {
                        return (null, tooMany());
                    }
                    values.Add(value);
                }
                return (values, null);
            }
            finally
            {
                await pipe.CompleteAsync().ConfigureAwait(false);
            }
        });

    private static async Task<(T? Value, IResult? Error)> ReadBodyAsync<T>(
        HttpContext context, Func<Stream, CancellationToken, Task<(T? Value, IResult? Error)>> read)
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
            return await read(body, context.RequestAborted).ConfigureAwait(false);
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

    /// <summary>Whether the first byte after JSON whitespace is '['; consumes nothing.</summary>
    private static async Task<bool> StartsWithArrayAsync(PipeReader pipe, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var first = FirstNonWhitespace(read.Buffer);
            if (first >= 0 || read.IsCompleted)
            {
                pipe.AdvanceTo(read.Buffer.Start);
                return first == '[';
            }
            pipe.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static int FirstNonWhitespace(ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
                {
                    return b;
                }
            }
        }
        return -1;
    }

    private static IResult JsonNull() => Problems.BadRequest("the request body is JSON null; a JSON document was expected.");
}
