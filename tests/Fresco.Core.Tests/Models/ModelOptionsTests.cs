using Fresco.Core.Models;
using Xunit;

namespace Fresco.Core.Tests.Models;

public sealed class ModelOptionsTests
{
    private sealed class SampleOptions : ModelOptions
    {
        public int Factors { get; set; } = 8;

        public double Alpha { get; set; } = 1;

        public string Solver { get; set; } = "cg";

        protected override IEnumerable<Parameter> DescribeParameters() =>
        [
            Parameter.Integer("factors", "latent factors", () => Factors, v => Factors = v, 1, 1024),
            Parameter.Real("alpha", "confidence scale", () => Alpha, v => Alpha = v, 0, 1e6),
            Parameter.Choice("solver", "solver", () => Solver, v => Solver = v, ["cg", "cholesky"]),
        ];
    }

    [Fact]
    public void SetParsesEachKind()
    {
        var options = new SampleOptions();
        options.SetAll(["factors=32", "alpha=2.5", "solver=CHOLESKY", "threads=1", "seed=-3"]);
        Assert.Equal(32, options.Factors);
        Assert.Equal(2.5, options.Alpha);
        Assert.Equal("cholesky", options.Solver);
        Assert.Equal(1, options.Threads);
        Assert.Equal(-3, options.Seed);
        Assert.Equal("32", options.ToDictionary()["factors"]);
    }

    [Theory]
    [InlineData("factors=0", "integer in [1, 1024]")]
    [InlineData("factors=abc", "factors")]
    [InlineData("alpha=nan", "alpha")]
    [InlineData("solver=lu", "cg, cholesky")]
    [InlineData("nope=1", "Valid options: factors")]
    [InlineData("factors", "name=value")]
    public void BadNameOrValueSaysWhatIsValid(string assignment, string expected)
    {
        var e = Assert.Throws<OptionException>(() => new SampleOptions().SetAll([assignment]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void CloneIsIndependent()
    {
        var options = new SampleOptions();
        var copy = (SampleOptions)options.Clone();
        copy.Set("factors", "64");
        Assert.Equal(8, options.Factors);
        Assert.Equal("64", copy.ToDictionary()["factors"]);
    }
}
