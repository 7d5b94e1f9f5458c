using Fresco.Engine.Catalog;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// The items a rule whose expression reads request parameters matches (all its conditions on stored fields) under one set
/// of parameter <see cref="Values"/>:
/// a bit set over live item indices, filled by replaying the catalog when first asked for and kept current as an
/// <see cref="IItemListener"/> of the catalog until its rule drops it. An item on which the expression fails does not
/// match (counted). Thread-safe: <see cref="Items"/> is read without locks; changes come under the catalog's write lock.
/// </summary>
internal sealed class ParameterBinding(CompiledRule rule, string[] values) : IItemListener
{
    private long _errors;
    private long _lastUse;

    /// <summary>The value of each of the expression's <see cref="ItemExpression.ParameterNames"/>, in order.</summary>
    public string[] Values { get; } = values;

    public BitSet Items { get; } = new();

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>A logical clock value of the last request that used it (for least-recently-used eviction).</summary>
    public long LastUse
    {
        get => Volatile.Read(ref _lastUse);
        set => Volatile.Write(ref _lastUse, value);
    }

    /// <summary>Whether it holds these values for the names (a name missing from <paramref name="parameters"/> is empty).</summary>
    public bool Holds(string[] names, IReadOnlyDictionary<string, string>? parameters)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (!string.Equals(Values[i], Value(parameters, names[i]), StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public void ItemChanged(int itemIndex, Item? item)
    {
        var match = false;
        if (item is not null)
        {
            try
            {
                match = rule.Evaluate(item, Values);
            }
            catch (ScenarioException)
            {
                Interlocked.Increment(ref _errors);
            }
        }
        Items.Set(itemIndex, match);
    }

    /// <summary>The request's value of a parameter: the empty string when it does not give it.</summary>
    public static string Value(IReadOnlyDictionary<string, string>? parameters, string name) =>
        parameters is not null && parameters.TryGetValue(name, out var value) && value is not null ? value : "";
}
