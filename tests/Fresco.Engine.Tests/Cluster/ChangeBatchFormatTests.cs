using System.Text;
using Fresco.Engine.Cluster;
using Fresco.Engine.Storage;
using Xunit;

namespace Fresco.Engine.Tests.Cluster;

public sealed class ChangeBatchFormatTests
{
    private static readonly DateTimeOffset s_eight = new(2026, 12, 5, 8, 0, 0, TimeSpan.FromHours(1));

    // Version 1 of the frame, written out by hand from the layout in ChangeBatchFormat's summary (not by the encoder):
    // origin "r1", 4 records: feedback click u1 i9 1.5 at 08:00+01:00; model 7; item i9; feedback buy "ü" i9 -2 UTC, RecommId "rc".
    private static readonly byte[] s_golden =
    [
        0x01, 0x02, 0x72, 0x31, 0x04,
        0x01, 0x1F, 0x05, 0x63, 0x6C, 0x69, 0x63, 0x6B, 0x02, 0x75, 0x31, 0x02, 0x69, 0x39,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F, 0x00, 0x58, 0xF6, 0x60, 0x9D, 0x52, 0xDF, 0x08, 0x3C, 0x00, 0x00,
        0x06, 0x08, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x03, 0x02, 0x69, 0x39,
        0x01, 0x1F, 0x03, 0x62, 0x75, 0x79, 0x02, 0xC3, 0xBC, 0x02, 0x69, 0x39,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x58, 0xF6, 0x60, 0x9D, 0x52, 0xDF, 0x08, 0x00, 0x00, 0x03, 0x72, 0x63,
    ];

    private static ChangeBatch GoldenBatch() => new("r1",
    [
        Change.Inserted(new Feedback("click", "u1", "i9", 1.5, s_eight)),
        Change.Serving(7),
        Change.ItemChanged("i9"),
        Change.Inserted(new Feedback("buy", "ü", "i9", -2, s_eight.ToUniversalTime()) { RecommId = "rc" }),
    ]);

    [Fact]
    public void EncodesTheGoldenFrameByteForByte() => Assert.Equal(s_golden, ChangeBatchFormat.Encode(GoldenBatch()));

    [Fact]
    public void DecodesTheGoldenFrame() => AssertSame(GoldenBatch(), ChangeBatchFormat.Decode(s_golden));

    [Fact]
    public void EveryKindRoundTripsWithEveryField()
    {
        var batch = new ChangeBatch("node-ä:8089",
        [
            Change.Inserted(new Feedback("read", "user with spaces", "", double.MaxValue, DateTimeOffset.MinValue)),
            Change.Inserted(new Feedback("star", "u", "i", double.NaN, new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(-570)).AddTicks(7)) { RecommId = "" }),
            Change.History("u1"),
            Change.UserAdded(new string('x', 300)),
            Change.UserRemoved("u2"),
            Change.ItemChanged("i1"),
            Change.Serving(long.MaxValue),
            Change.ScenarioChanged("home"),
            Change.ExperimentChanged("exp"),
        ]);

        AssertSame(batch, ChangeBatchFormat.Decode(ChangeBatchFormat.Encode(batch)));
        AssertSame(new ChangeBatch("r", []), ChangeBatchFormat.Decode(ChangeBatchFormat.Encode(new ChangeBatch("r", []))));
    }

    [Fact]
    public void RecordsOfAKindThisNodeDoesNotKnowAreSkipped()
    {
        // origin "r1", 2 records: kind 200 with 3 bytes of body (a newer node's), then item i9.
        byte[] frame = [0x01, 0x02, 0x72, 0x31, 0x02, 0xC8, 0x03, 0x01, 0x02, 0x03, 0x05, 0x03, 0x02, 0x69, 0x39];

        AssertSame(new ChangeBatch("r1", [Change.ItemChanged("i9")]), ChangeBatchFormat.Decode(frame));
    }

    [Fact]
    public void TruncatedForeignAndOtherVersionFramesAreRefused()
    {
        for (var length = 0; length < s_golden.Length; length++)
        {
            Assert.Throws<FormatException>(() => ChangeBatchFormat.Decode(s_golden.AsSpan(0, length)));
        }
        Assert.Throws<FormatException>(() => ChangeBatchFormat.Decode([.. s_golden, 0x00]));
        Assert.Throws<FormatException>(() => ChangeBatchFormat.Decode([0x02, .. s_golden.AsSpan(1)]));
        Assert.Throws<FormatException>(() => ChangeBatchFormat.Decode(Encoding.UTF8.GetBytes("""{"Origin":"r1","Changes":[]}""")));
        var longerRecord = (byte[])s_golden.Clone();
        longerRecord[49] = 0x04; // the item record claims one byte more than its key
        Assert.Throws<FormatException>(() => ChangeBatchFormat.Decode(longerRecord));
    }

    private static void AssertSame(ChangeBatch expected, ChangeBatch actual)
    {
        Assert.Equal(expected.Origin, actual.Origin);
        Assert.Equal(expected.Changes, actual.Changes);
        for (var i = 0; i < expected.Changes.Count; i++)
        {
            // DateTimeOffset equality ignores the offset: the frame keeps it too.
            Assert.Equal(expected.Changes[i].Feedback?.Timestamp.Offset, actual.Changes[i].Feedback?.Timestamp.Offset);
            Assert.Equal(expected.Changes[i].Feedback?.RecommId, actual.Changes[i].Feedback?.RecommId);
        }
    }
}
