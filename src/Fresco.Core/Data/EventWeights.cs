using System.Globalization;

namespace Fresco.Core.Data;

/// <summary>
/// How much each event type counts in the user-item matrix. A type weighs a fixed amount, or its own value
/// times a factor (ratings); a negative weight down-weights the pair, and a pair whose summed weight is not
/// positive is left out of the matrix (a <c>dislike</c> removes what a view added). Immutable.
/// </summary>
public sealed class EventWeights
{
    private readonly Dictionary<string, EventWeight> _weights;

    public EventWeights(IReadOnlyDictionary<string, EventWeight> weights, float defaultWeight = 1f)
    {
        _weights = new Dictionary<string, EventWeight>(weights, StringComparer.OrdinalIgnoreCase);
        DefaultWeight = defaultWeight;
    }

    /// <summary>The (fixed) weight of an event type that is not configured.</summary>
    public float DefaultWeight { get; }

    public IReadOnlyDictionary<string, EventWeight> Weights => _weights;

    /// <summary>Every event weighs 1, whatever its type or value: the plain implicit matrix.</summary>
    public static EventWeights Uniform { get; } = new(new Dictionary<string, EventWeight>(), 1f);

    /// <summary>The e-commerce defaults: view 1, click 1, like 2, cart 3, purchase 5, rating by value, dislike -5.</summary>
    public static EventWeights ECommerce { get; } = new(new Dictionary<string, EventWeight>
    {
        ["view"] = EventWeight.Fixed(1f),
        ["pv"] = EventWeight.Fixed(1f),
        ["click"] = EventWeight.Fixed(1f),
        ["like"] = EventWeight.Fixed(2f),
        ["fav"] = EventWeight.Fixed(2f),
        ["cart"] = EventWeight.Fixed(3f),
        ["purchase"] = EventWeight.Fixed(5f),
        ["buy"] = EventWeight.Fixed(5f),
        ["rating"] = EventWeight.ByValue(1f),
        ["dislike"] = EventWeight.Fixed(-5f),
    }, 1f);

    /// <summary>The weight of one event of type <paramref name="eventType"/> with value <paramref name="value"/>.</summary>
    public float WeightOf(string eventType, float value)
    {
        if (!_weights.TryGetValue(eventType, out var weight))
        {
            return DefaultWeight;
        }
        return weight.UseValue ? weight.Weight * value : weight.Weight;
    }

    /// <summary>Parses "view=1,cart=3,rating=value,dislike=-5" (a factor times the value: "rating=0.5*value").</summary>
    public static EventWeights Parse(string text, float defaultWeight = 1f)
    {
        var weights = new Dictionary<string, EventWeight>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].Length == 0)
            {
                throw new FormatException($"Event weight '{part}' is not of the form type=weight.");
            }
            weights[pair[0]] = ParseWeight(pair[0], pair[1]);
        }
        return new EventWeights(weights, defaultWeight);
    }

    private static EventWeight ParseWeight(string type, string text)
    {
        if (text.Equals("value", StringComparison.OrdinalIgnoreCase))
        {
            return EventWeight.ByValue(1f);
        }
        if (text.EndsWith("*value", StringComparison.OrdinalIgnoreCase)
            && float.TryParse(text.AsSpan(0, text.Length - 6), NumberStyles.Float, CultureInfo.InvariantCulture, out var factor))
        {
            return EventWeight.ByValue(factor);
        }
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fixedWeight) && float.IsFinite(fixedWeight))
        {
            return EventWeight.Fixed(fixedWeight);
        }
        throw new FormatException($"Event weight for '{type}' must be a number, 'value' or 'F*value', not '{text}'.");
    }

    /// <summary>
    /// Builds the users x items matrix: the summed weights of each user-item pair, pairs whose sum is not
    /// positive left out. Rows and columns are sized by the table's id maps.
    /// </summary>
    public CsrMatrix BuildMatrix(InteractionTable table)
    {
        var typeWeights = new float[table.EventTypes.Count];
        var typeUsesValue = new bool[table.EventTypes.Count];
        for (var t = 0; t < typeWeights.Length; t++)
        {
            var name = table.EventTypes.GetId(t);
            if (_weights.TryGetValue(name, out var weight))
            {
                typeWeights[t] = weight.Weight;
                typeUsesValue[t] = weight.UseValue;
            }
            else
            {
                typeWeights[t] = DefaultWeight;
            }
        }
        var builder = new CsrBuilder(table.Users.Count, table.Items.Count, table.Count);
        foreach (ref readonly var row in table.Rows)
        {
            var w = typeUsesValue[row.EventType] ? typeWeights[row.EventType] * row.Value : typeWeights[row.EventType];
            builder.Add(row.UserIndex, row.ItemIndex, w);
        }
        return builder.Build(DuplicatePolicy.Sum, dropNonPositive: true);
    }
}

/// <summary>The weight of one event type: <see cref="Weight"/>, times the event's value when <see cref="UseValue"/>.</summary>
public readonly record struct EventWeight(float Weight, bool UseValue)
{
    public static EventWeight Fixed(float weight) => new(weight, false);

    public static EventWeight ByValue(float factor) => new(factor, true);
}
