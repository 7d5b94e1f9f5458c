using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Http;

/// <summary>
/// The 503 of a shed request, made cheap: an RFC 7807 body serialized once, <c>Retry-After: 1</c>, nothing of the
/// request read. Thread-safe (immutable).
/// </summary>
internal sealed class OverloadedAnswer
{
    private readonly byte[] _body;

    public OverloadedAnswer(string detail)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "https://tools.ietf.org/html/rfc9110#section-15.6.4");
            json.WriteString("title", "Overloaded");
            json.WriteNumber("status", StatusCodes.Status503ServiceUnavailable);
            json.WriteString("detail", detail);
            json.WriteEndObject();
        }
        _body = buffer.WrittenSpan.ToArray();
    }

    public Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = "1";
        response.ContentType = "application/problem+json";
        response.ContentLength = _body.Length;
        return response.Body.WriteAsync(_body, context.RequestAborted).AsTask();
    }
}
