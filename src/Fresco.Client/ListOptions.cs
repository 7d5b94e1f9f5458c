namespace Fresco.Client;

/// <summary>
/// The query of a recommendation list: how many (<see cref="N"/>, default 10), from which rank (<see cref="Offset"/>),
/// within a category, without some items, and with the source of each entry (<see cref="Explain"/>). Immutable value.
/// </summary>
public sealed record ListOptions(int N = 10, int Offset = 0, string? Category = null, IReadOnlyCollection<string>? Exclude = null,
    bool Explain = false)
{
    public static ListOptions Default { get; } = new();

    internal string Query()
    {
        var parts = new List<string> { $"n={N}" };
        if (Offset != 0)
        {
            parts.Add($"offset={Offset}");
        }
        if (Category is not null)
        {
            parts.Add("category=" + Uri.EscapeDataString(Category));
        }
        if (Exclude is { Count: > 0 })
        {
            parts.Add("exclude=" + string.Join(',', Exclude.Select(Uri.EscapeDataString)));
        }
        if (Explain)
        {
            parts.Add("explain=true");
        }
        return "?" + string.Join('&', parts);
    }
}
