using Fresco.Storage.Postgres;
using Xunit;

namespace Fresco.Storage.Tests.Postgres;

/// <summary>Validation of <see cref="PostgresStoreOptions"/> (no server needed).</summary>
public sealed class PostgresStoreOptionsTests
{
    [Fact]
    public void OutOfRangeSettingsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresStoreOptions { PartitionMonthsAhead = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresStoreOptions { PartitionMonthsBack = 1201 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresStoreOptions { FeedbackTtl = TimeSpan.FromSeconds(30) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresStoreOptions { MaintenanceInterval = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresStoreOptions { PartitionLockTimeout = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentNullException>(() => new PostgresStoreOptions { TimeProvider = null! }.Validate());
        new PostgresStoreOptions { FeedbackTtl = TimeSpan.FromDays(30) }.Validate();
        new PostgresStoreOptions { FeedbackTtl = TimeSpan.FromMinutes(1) }.Validate();
    }

    [Fact]
    public async Task OpeningValidatesTheOptionsBeforeConnecting()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            PostgresStore.OpenAsync("Host=127.0.0.1;Port=1", new PostgresStoreOptions { PartitionMonthsAhead = 500 }, TestContext.Current.CancellationToken));
    }
}
