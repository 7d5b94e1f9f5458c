using System.Globalization;

namespace Fresco.Core.Models;

/// <summary>The value type of a <see cref="Parameter"/>.</summary>
public enum ParameterKind
{
    Integer,
    Real,
    Boolean,
    Choice,
}

/// <summary>
/// One named, settable option of a model (<c>--set name=value</c>), with its valid range and, when tunable,
/// the range that hyper-parameter search explores. Bound to one options instance.
/// </summary>
public sealed class Parameter
{
    private readonly Func<string> _get;
    private readonly Action<string> _set;

    private Parameter(string name, string description, ParameterKind kind, Func<string> get, Action<string> set)
    {
        Name = name;
        Description = description;
        Kind = kind;
        _get = get;
        _set = set;
    }

    public string Name { get; }

    public string Description { get; }

    public ParameterKind Kind { get; }

    public double Min { get; private init; } = double.NegativeInfinity;

    public double Max { get; private init; } = double.PositiveInfinity;

    public IReadOnlyList<string> Choices { get; private init; } = [];

    /// <summary>The search range for tuning, or null when the parameter is not tuned.</summary>
    public SearchRange? Search { get; private init; }

    public string Value => _get();

    /// <summary>A one-line description of valid values, for error messages and help.</summary>
    public string ValidValues => Kind switch
    {
        ParameterKind.Boolean => "true|false",
        ParameterKind.Choice => string.Join('|', Choices),
        ParameterKind.Integer => $"integer in [{Format(Min)}, {Format(Max)}]",
        _ => $"number in [{Format(Min)}, {Format(Max)}]",
    };

    public static Parameter Integer(string name, string description, Func<int> get, Action<int> set, int min, int max, SearchRange? search = null) =>
        new(name, description, ParameterKind.Integer, () => get().ToString(CultureInfo.InvariantCulture), text => set(ParseInteger(name, text, min, max)))
        {
            Min = min,
            Max = max,
            Search = search,
        };

    public static Parameter Real(string name, string description, Func<double> get, Action<double> set, double min, double max, SearchRange? search = null) =>
        new(name, description, ParameterKind.Real, () => get().ToString("R", CultureInfo.InvariantCulture), text => set(ParseReal(name, text, min, max)))
        {
            Min = min,
            Max = max,
            Search = search,
        };

    public static Parameter Boolean(string name, string description, Func<bool> get, Action<bool> set) =>
        new(name, description, ParameterKind.Boolean, () => get() ? "true" : "false", text => set(ParseBoolean(name, text)));

    public static Parameter Choice(string name, string description, Func<string> get, Action<string> set, IReadOnlyList<string> choices, bool tunable = false) =>
        new(name, description, ParameterKind.Choice, get, text => set(ParseChoice(name, text, choices)))
        {
            Choices = choices,
            Search = tunable ? SearchRange.Categorical(choices.Count) : null,
        };

    /// <summary>Sets the value from text; throws <see cref="OptionException"/> with the valid values when it is not valid.</summary>
    public void Set(string text) => _set(text.Trim());

    private static int ParseInteger(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new OptionException($"'{text}' is not a valid value for '{name}': expected an integer in [{min}, {max}].");
        }
        return value;
    }

    private static double ParseReal(string name, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)
            || value < min || value > max)
        {
            throw new OptionException($"'{text}' is not a valid value for '{name}': expected a number in [{Format(min)}, {Format(max)}].");
        }
        return value;
    }

    private static bool ParseBoolean(string name, string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new OptionException($"'{text}' is not a valid value for '{name}': expected true or false."),
    };

    private static string ParseChoice(string name, string text, IReadOnlyList<string> choices)
    {
        foreach (var choice in choices)
        {
            if (string.Equals(choice, text, StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }
        throw new OptionException($"'{text}' is not a valid value for '{name}': expected one of {string.Join(", ", choices)}.");
    }

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>Where hyper-parameter search looks for a parameter's value.</summary>
/// <param name="Low">Lowest value (or 0 for a categorical choice).</param>
/// <param name="High">Highest value (or the number of choices minus one).</param>
/// <param name="LogScale">Sample uniformly in log space (for scales such as regularization).</param>
public sealed record SearchRange(double Low, double High, bool LogScale = false, bool IsCategorical = false)
{
    public static SearchRange Linear(double low, double high) => new(low, high);

    public static SearchRange Log(double low, double high) => new(low, high, LogScale: true);

    public static SearchRange Categorical(int count) => new(0, count - 1, IsCategorical: true);
}
