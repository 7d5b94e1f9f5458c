using Xunit;

namespace Fresco.Engine.Tests;

public sealed class EngineInfoTests
{
    [Fact]
    public void VersionIsAVersionString()
    {
        Assert.True(Version.TryParse(EngineInfo.Version, out _), EngineInfo.Version);
    }
}
