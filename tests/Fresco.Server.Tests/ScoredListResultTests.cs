using System.IO.Pipelines;
using Fresco.Engine.Serving;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Fresco.Server.Tests;

public sealed class ScoredListResultTests
{
    private static async Task<string> Write(IReadOnlyList<ScoredId> list, bool scored, bool explain)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await new ScoredListResult(list, scored, explain).ExecuteAsync(context);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }

    [Fact]
    public async Task WritesIdsScoresAndSourcesWithEscapingAndFiniteNumbers()
    {
        ScoredId[] list = [new("a\"b", 1.5f, "als"), new("ü/é", float.NaN, "trending"), new("x", float.NegativeInfinity, "latest")];
        Assert.Equal("""["a\u0022b","\u00FC/\u00E9","x"]""", await Write(list, scored: false, explain: false));
        Assert.Equal("""[{"Id":"a\u0022b","Score":1.5},{"Id":"\u00FC/\u00E9","Score":0},{"Id":"x","Score":-3.4028235E+38}]""",
            await Write(list, scored: true, explain: false));
        Assert.Equal("""[{"Id":"a\u0022b","Score":1.5,"Source":"als"}]""", await Write(list[..1], scored: true, explain: true));
        Assert.Equal("[]", await Write([], scored: true, explain: true));
    }

    [Fact]
    public void AWarmedWriteOfAHundredScoredIdsAllocatesOnlyTheResult()
    {
        var list = Enumerable.Range(0, 100).Select(i => new ScoredId($"item-{i}", 100 - i, "als")).ToArray();
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseBodyFeature>(new PipeBodyFeature(pipe.Writer));
        for (var i = 0; i < 3; i++)
        {
            Run(context, list, pipe);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(context, list, pipe);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= 128, $"{allocated} bytes allocated");
    }

    private static void Run(HttpContext context, ScoredId[] list, Pipe pipe)
    {
        var task = new ScoredListResult(list, scored: true, explain: true).ExecuteAsync(context);
        Assert.True(task.IsCompletedSuccessfully);
        var read = pipe.Reader.ReadAsync().GetAwaiter().GetResult();
        Assert.True(read.Buffer.Length > 100 * 30);
        pipe.Reader.AdvanceTo(read.Buffer.End);
    }

    private sealed class PipeBodyFeature(PipeWriter writer) : IHttpResponseBodyFeature
    {
        public Stream Stream => writer.AsStream();

        public PipeWriter Writer => writer;

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task CompleteAsync() => Task.CompletedTask;
    }
}
