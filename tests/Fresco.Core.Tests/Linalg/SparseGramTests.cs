using Fresco.Core.Data;
using Fresco.Core.Linalg;
using Xunit;

namespace Fresco.Core.Tests.Linalg;

public sealed class SparseGramTests
{
    [Fact]
    public void MatchesTheDenseProduct()
    {
        const int Users = 57, Items = 33;
        var rng = new Random(9);
        var builder = new CsrBuilder(Users, Items);
        var dense = new float[Users * Items];
        for (var u = 0; u < Users; u++)
        {
            for (var i = 0; i < Items; i++)
            {
                if (rng.NextDouble() < 0.2)
                {
                    var value = 1 + rng.Next(4);
                    builder.Add(u, i, value);
                    dense[u * Items + i] = value;
                }
            }
        }
        var gram = new float[Items * Items];
        SparseGram.Compute(builder.Build(), gram, threads: 2);
        for (var i = 0; i < Items; i++)
        {
            for (var j = 0; j < Items; j++)
            {
                float expected = 0;
                for (var u = 0; u < Users; u++)
                {
                    expected += dense[u * Items + i] * dense[u * Items + j];
                }
                Assert.Equal(expected, gram[i * Items + j]);
            }
        }
    }
}
