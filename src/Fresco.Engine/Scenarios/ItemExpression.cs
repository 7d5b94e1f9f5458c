using Cel;
using Fresco.Engine.Storage;
using ProtoTimestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// A CEL expression (the Common Expression Language, through the <c>Cel</c> package) over one item's fields, compiled
/// once. CEL has no access to .NET types, I/O or reflection: an expression sees only the variables given here
/// (<c>ItemId</c>, <c>Categories</c>, <c>Labels</c>, <c>Timestamp</c>, <c>IsHidden</c>, <c>Comment</c>) and CEL's
/// standard functions, and has no loops beyond its bounded macros over these lists; its length is capped. Evaluated when
/// an item changes (under the catalog's write lock), never per request. Thread-safe (the compiled program is immutable;
/// each evaluation builds its own variables).
/// </summary>
internal sealed class ItemExpression
{
    /// <summary>The longest expression accepted, in characters.</summary>
    public const int MaxLength = 2000;

    private readonly CelProgramDelegate _program;

    private ItemExpression(CelProgramDelegate program) => _program = program;

    /// <summary>Parses and compiles <paramref name="text"/>; throws <see cref="ScenarioException"/> naming <paramref name="where"/>.</summary>
    public static ItemExpression Compile(string text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ScenarioException(where, "the expression is empty.");
        }
        if (text.Length > MaxLength)
        {
            throw new ScenarioException(where, $"the expression is {text.Length} characters long; at most {MaxLength} are allowed.");
        }
        try
        {
            var expression = new ItemExpression(new CelEnvironment(null, null).Compile(text));
            // An undeclared name or a wrong type often shows only when evaluated: try it on a blank item and a full one.
            expression.Evaluate(new Item("(a probe item with no field set)", false, [], [], "", DateTimeOffset.UnixEpoch), where);
            expression.Evaluate(new Item("(a probe item with every field set)", true, ["c"], ["l"], "comment", DateTimeOffset.UnixEpoch), where);
            return expression;
        }
        catch (CelException e)
        {
            throw new ScenarioException(where, $"the expression is not valid CEL: {e.Message}");
        }
    }

    /// <summary>
    /// Whether the item matches; throws <see cref="ScenarioException"/> (naming <paramref name="where"/> and the item) when
    /// the expression fails on it or does not yield a bool.
    /// </summary>
    public bool Evaluate(Item item, string where)
    {
        object? result;
        try
        {
            result = _program(Variables(item));
        }
        catch (Exception e) when (e is CelException or InvalidCastException or ArgumentException or FormatException
            or OverflowException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw new ScenarioException(where, $"the expression fails on item '{item.ItemId}': {e.Message}");
        }
        return result is bool match
            ? match
            : throw new ScenarioException(where, $"the expression yields {Describe(result)}, not a bool (on item '{item.ItemId}').");
    }

    private static Dictionary<string, object?> Variables(Item item) => new(StringComparer.Ordinal)
    {
        ["ItemId"] = item.ItemId,
        ["Categories"] = item.Categories.Cast<object?>().ToList(),
        ["Labels"] = item.Labels.Cast<object?>().ToList(),
        ["Timestamp"] = ProtoTimestamp.FromDateTimeOffset(item.Timestamp < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : item.Timestamp),
        ["IsHidden"] = item.IsHidden,
        ["Comment"] = item.Comment,
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string => "a string",
        long or ulong or int or double => "a number",
        _ => "a " + value.GetType().Name,
    };
}
