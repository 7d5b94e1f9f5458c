using Fresco.Core.Data;
using Fresco.Evaluation.Metrics;
using Xunit;

namespace Fresco.Evaluation.Tests.Metrics;

public sealed class RankingAgreementTests
{
    private static CsrMatrix Matrix(int users, int items, params (int User, int Item)[] entries)
    {
        var builder = new CsrBuilder(users, items);
        foreach (var (user, item) in entries)
        {
            builder.Add(user, item, 1f);
        }
        return builder.Build();
    }

    [Fact]
    public void AModelAgreesFullyWithItself()
    {
        var model = new FixedScoreModel(new float[,] { { 4, 3, 2, 1, 0 }, { 0, 1, 2, 3, 4 } });
        var train = Matrix(2, 5, (0, 0));
        var test = Matrix(2, 5, (0, 1), (1, 1));
        var overlap = RankingAgreement.Overlap(model, model, train, test, [1, 3], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1.0, overlap["Overlap@1"], 1e-12);
        Assert.Equal(1.0, overlap["Overlap@3"], 1e-12);
    }

    [Fact]
    public void OverlapIsTheSharedShareOfTheReferenceTopKAfterMasking()
    {
        // Reference order 0 > 1 > 2 > 3 > 4; the model's 1 > 0 > 3 > 4 > 2. User 0 trained on item 0: reference top 2
        // {1, 2}, model {1, 3}: 1 of 2; top 1 agrees. User 1: reference {0, 1}, model {1, 0}: 2 of 2; top 1 differs.
        // User 2 has no test item and is not counted.
        var reference = new FixedScoreModel(new float[,] { { 5, 4, 3, 2, 1 }, { 5, 4, 3, 2, 1 }, { 5, 4, 3, 2, 1 } });
        var model = new FixedScoreModel(new float[,] { { 4, 5, 1, 3, 2 }, { 4, 5, 1, 3, 2 }, { 1, 2, 3, 4, 5 } });
        var train = Matrix(3, 5, (0, 0));
        var test = Matrix(3, 5, (0, 4), (1, 4));
        var overlap = RankingAgreement.Overlap(model, reference, train, test, [1, 2], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(0.5, overlap["Overlap@1"], 1e-12);
        Assert.Equal((0.5 + 1.0) / 2, overlap["Overlap@2"], 1e-12);
    }
}
