using System.IO.Hashing;
using System.Text;

namespace Fresco.Engine.Experiments;

/// <summary>
/// One experiment ready to assign users: the cumulative weights and one <see cref="ExperimentAssignment"/> per variant.
/// A user's bucket is XxHash3 of the user id's UTF-8 bytes seeded with the hash of the experiment's name (so one user
/// falls independently in different experiments), mapped onto [0, total weight) by a multiply-shift (Lemire 2019, "Fast
/// Random Integer Generation in an Interval"): sticky, stateless, the same on every replica. Immutable; thread-safe.
/// </summary>
internal sealed class CompiledExperiment
{
    private const int StackBytes = 1024;
    private readonly long _seed;
    private readonly long[] _upTo;
    private readonly ExperimentAssignment[] _assignments;

    public CompiledExperiment(string name, Experiment definition)
    {
        Name = name;
        Definition = definition;
        _seed = unchecked((long)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(name)));
        _upTo = new long[definition.Variants.Count];
        _assignments = new ExperimentAssignment[definition.Variants.Count];
        long total = 0;
        for (var i = 0; i < _upTo.Length; i++)
        {
            var variant = definition.Variants[i];
            _upTo[i] = total += variant.Weight;
            _assignments[i] = new ExperimentAssignment(name, variant.Name, variant.Scenario ?? definition.Scenario, variant.Model);
        }
    }

    public string Name { get; }

    public Experiment Definition { get; }

    public bool RunsAt(DateTimeOffset now) => Definition.Start <= now && now < Definition.End;

    /// <summary>The variant of the user. Allocates nothing for ids up to 341 characters.</summary>
    public ExperimentAssignment Assign(string userId)
    {
        var point = (long)(((UInt128)Hash(userId) * (ulong)_upTo[^1]) >> 64);
        var i = 0;
        while (_upTo[i] <= point)
        {
            i++;
        }
        return _assignments[i];
    }

    private ulong Hash(string userId)
    {
        if (Encoding.UTF8.GetMaxByteCount(userId.Length) > StackBytes)
        {
            return XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(userId), _seed);
        }
        Span<byte> bytes = stackalloc byte[StackBytes];
        var length = Encoding.UTF8.GetBytes(userId, bytes);
        return XxHash3.HashToUInt64(bytes[..length], _seed);
    }
}
