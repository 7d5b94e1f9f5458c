using BenchmarkDotNet.Attributes;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Models;
using Fresco.Models.Als;

namespace Fresco.Benchmarks.Models;

/// <summary>One ALS sweep (users then items) on a medium generated matrix: 20k users x 10k items, ~500k interactions.</summary>
[MemoryDiagnoser]
public class AlsBenchmarks
{
    private CsrMatrix _userItems = null!;
    private CsrMatrix _itemUsers = null!;
    private AlsOptions _options = null!;
    private float[] _users = null!;
    private float[] _items = null!;

    [Params(64)]
    public int Factors { get; set; }

    [Params("cg")]
    public string Solver { get; set; } = "cg";

    [GlobalSetup]
    public void Setup()
    {
        _userItems = SyntheticMatrix.Create(20_000, 10_000, 25);
        _itemUsers = _userItems.Transpose();
        _options = (AlsOptions)ModelCatalog.CreateOptions("als", [$"factors={Factors}", $"solver={Solver}", "threads=2", "iterations=1"]);
        var model = AlsTrainer.Train(new TrainingContext(new TrainingData(_userItems), _options));
        _users = model.UserFactors.ToArray();
        _items = model.ItemFactors.ToArray();
    }

    [Benchmark]
    public void Iteration()
    {
        AlsTrainer.SolveSide(_users, _userItems, _items, _options, 2);
        AlsTrainer.SolveSide(_items, _itemUsers, _users, _options, 2);
    }
}
