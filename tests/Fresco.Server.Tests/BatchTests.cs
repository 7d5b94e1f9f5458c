using System.Text;
using Fresco.Engine;
using Fresco.Engine.Storage;
using Fresco.Server.Configuration;
using Fresco.Server.Contracts;
using Fresco.Server.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fresco.Server.Tests;

/// <summary><see cref="Batch"/>: an array over Server:MaxBatch is refused while it streams, never parsed whole.</summary>
public sealed class BatchTests
{
    [Fact]
    public async Task AnOversizedArrayIsRefusedAfterReadingOnlyTheStartOfTheBody()
    {
        var body = new EmptyObjects(8 << 20); // 8 MiB of [{},{},...]: about 2.8 million elements
        var (records, problem) = await ReadUsersAsync(body, maxBatch: 100);

        var result = Assert.IsType<ProblemHttpResult>(problem);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, result.StatusCode);
        Assert.Equal("Batch too large", result.ProblemDetails.Title);
        Assert.Equal("the batch has more than 100 users; at most 100 are accepted at once (Server:MaxBatch).", result.ProblemDetails.Detail);
        Assert.Empty(records);
        Assert.InRange(body.BytesRead, 1, 256 << 10); // parsing stopped within a read buffer or so of the 101st element
    }

    [Theory]
    [InlineData(" [ {\"UserId\":\"a\"} , {\"UserId\":\"b\"} ] ", null)]
    [InlineData("[]", null)]
    [InlineData("null", "JSON null")]
    [InlineData("{\"UserId\":\"a\"}", "not valid")]
    [InlineData("[{\"UserId\":\"a\"},{\"UserId\":5}]", "not valid")]
    [InlineData("[{\"UserId\":\"a\"},", "not valid")]
    [InlineData("[{\"UserId\":\"a\"},{\"UserId\":\"b\"},{\"UserId\":\"c\"}]", "more than 2 users")]
    public async Task ArraysWithinTheLimitAreReadAndOthersAnswerTheirProblem(string json, string? error)
    {
        var (records, problem) = await ReadUsersAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), maxBatch: 2);

        if (error is null)
        {
            Assert.Null(problem);
            Assert.Equal(json.Contains('a', StringComparison.Ordinal) ? ["a", "b"] : Array.Empty<string>(), records.Select(u => u.UserId));
        }
        else
        {
            Assert.Contains(error, Assert.IsType<ProblemHttpResult>(problem).ProblemDetails.Detail, StringComparison.Ordinal);
        }
    }

    private static Task<(User[] Records, IResult? Problem)> ReadUsersAsync(Stream body, int maxBatch)
    {
        var settings = new FrescoSettings(new FrescoServerOptions { MaxBatch = maxBatch }, new FrescoEngineOptions(), new ConfigurationBuilder().Build());
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddSingleton(settings).BuildServiceProvider() };
        context.Request.Body = body; // no Content-Length: read as it streams
        return Batch.ReadAsync<UserContract, User>(
            context, FrescoJson.Default.UserContract, FrescoJson.Default.UserContractArray, "users", settings, ContractMapper.TryToUser);
    }

    /// <summary>A body "[{},{},...,{}]" of about <c>length</c> bytes made on the fly, counting the bytes read from it.</summary>
    private sealed class EmptyObjects(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            for (var i = 0; i < n; i++)
            {
                var at = BytesRead + i;
                buffer[offset + i] = at == 0 ? (byte)'[' : at == length - 1 ? (byte)']' : (at % 3) switch
                {
                    1 => (byte)'{',
                    2 => (byte)'}',
                    _ => at == length - 2 ? (byte)' ' : (byte)',',
                };
            }
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
