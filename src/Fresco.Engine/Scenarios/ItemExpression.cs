using Antlr4.Runtime.Tree;
using Cel;
using Cel.Internal;
using Fresco.Engine.Storage;
using ProtoTimestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Fresco.Engine.Scenarios;

/// <summary>
/// A CEL expression (the Common Expression Language, through the <c>Cel</c> package) over one item's fields, compiled
/// once. CEL has no access to .NET types, I/O or reflection: an expression sees only the variables given here
/// (<c>ItemId</c>, <c>Categories</c>, <c>Labels</c>, <c>Timestamp</c>, <c>IsHidden</c>, <c>Comment</c>, and
/// <c>param</c>, a map of strings: the request's parameters) and CEL's standard functions, and has no loops beyond its
/// bounded macros over these lists; its length is capped. A parameter is read by name (<c>param.brand</c> or
/// <c>param['brand']</c>, found in the parse tree: <see cref="ParameterNames"/>); the map holds exactly those names, a
/// name the request does not give as the empty string. Evaluated when an item changes (under the catalog's write lock)
/// and once per item for each new set of parameter values (<see cref="CompiledRule"/>), never per item and request.
/// Thread-safe (the compiled program is immutable; each evaluation builds its own variables).
/// </summary>
internal sealed class ItemExpression
{
    /// <summary>The longest expression accepted, in characters.</summary>
    public const int MaxLength = 2000;

    /// <summary>The variable holding the request's parameters.</summary>
    public const string ParameterVariable = "param";

    private readonly CelProgramDelegate _program;

    private ItemExpression(CelProgramDelegate program, string[] parameterNames)
    {
        _program = program;
        ParameterNames = parameterNames;
    }

    /// <summary>The request parameters the expression reads, in order of first use; empty when it reads none.</summary>
    public string[] ParameterNames { get; }

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
            var environment = new CelEnvironment(null, null);
            var tree = environment.Parse(text);
            var names = new List<string>();
            FindParameters(tree, names, where);
            var expression = new ItemExpression(environment.Compile(tree), [.. names]);
            // An undeclared name or a wrong type often shows only when evaluated: try it on a blank item and a full one,
            // with every parameter empty and set.
            string[] empty = [.. names.Select(_ => "")], set = [.. names.Select(_ => "p")];
            var blank = new Item("(a probe item with no field set)", false, [], [], "", DateTimeOffset.UnixEpoch);
            var full = new Item("(a probe item with every field set)", true, ["c"], ["l"], "comment", DateTimeOffset.UnixEpoch);
            foreach (var values in names.Count == 0 ? [empty] : new[] { empty, set })
            {
                expression.Evaluate(blank, values, where);
                expression.Evaluate(full, values, where);
            }
            return expression;
        }
        catch (CelException e)
        {
            throw new ScenarioException(where, $"the expression is not valid CEL: {e.Message}");
        }
    }

    /// <summary>
    /// Whether the item matches with the parameters of <see cref="ParameterNames"/> set to <paramref name="values"/> (in
    /// that order); throws <see cref="ScenarioException"/> (naming <paramref name="where"/> and the item) when the
    /// expression fails on it or does not yield a bool.
    /// </summary>
    public bool Evaluate(Item item, ReadOnlySpan<string> values, string where)
    {
        object? result;
        try
        {
            result = _program(Variables(item, values));
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

    private Dictionary<string, object?> Variables(Item item, ReadOnlySpan<string> values)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["ItemId"] = item.ItemId,
            ["Categories"] = item.Categories.Cast<object?>().ToList(),
            ["Labels"] = item.Labels.Cast<object?>().ToList(),
            ["Timestamp"] = ProtoTimestamp.FromDateTimeOffset(item.Timestamp < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : item.Timestamp),
            ["IsHidden"] = item.IsHidden,
            ["Comment"] = item.Comment,
        };
        if (ParameterNames.Length > 0)
        {
            // The Cel package selects fields of a map of objects only (not of a map of strings).
            var parameters = new Dictionary<string, object?>(ParameterNames.Length, StringComparer.Ordinal);
            for (var i = 0; i < ParameterNames.Length; i++)
            {
                parameters[ParameterNames[i]] = i < values.Length ? values[i] : "";
            }
            variables[ParameterVariable] = parameters;
        }
        return variables;
    }

    /// <summary>
    /// Collects the names read as <c>param.name</c> or <c>param['name']</c>; any other use of <c>param</c> (a computed
    /// key, <c>'x' in param</c>, <c>size(param)</c>, a macro variable named so) is refused, since the map holds only the
    /// names the expression reads.
    /// </summary>
    private static void FindParameters(IParseTree node, List<string> names, string where)
    {
        if (node is CelParser.IdentOrGlobalCallContext { id.Text: ParameterVariable, leadingDot: null, op: null } ident)
        {
            var name = ident.Parent?.Parent switch
            {
                CelParser.SelectContext { opt: null } select => select.id?.Text,
                CelParser.IndexContext { opt: null } index => Literal(index.index?.GetText()),
                _ => null,
            };
            if (string.IsNullOrEmpty(name))
            {
                throw new ScenarioException(where, $"read a request parameter by name, as {ParameterVariable}.brand or {ParameterVariable}['brand'] " +
                    $"('{ParameterVariable}' is reserved for them).");
            }
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
            return;
        }
        for (var i = 0; i < node.ChildCount; i++)
        {
            FindParameters(node.GetChild(i), names, where);
        }
    }

    /// <summary>The text of a plain quoted string literal (no escapes), else null.</summary>
    private static string? Literal(string? text) =>
        text is { Length: >= 2 } && (text[0] is '\'' or '"') && text[^1] == text[0] && text.IndexOfAny(['\\', text[0]], 1) == text.Length - 1
            ? text[1..^1]
            : null;

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string => "a string",
        long or ulong or int or double => "a number",
        _ => "a " + value.GetType().Name,
    };
}
