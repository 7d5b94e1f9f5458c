using Fresco.Engine.Serving;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Http;

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
}
