using Fresco.Core.Data;

namespace Fresco.Evaluation.Tests.Splits;

/// <summary>Deterministic synthetic tables for split and runner tests.</summary>
internal static class SyntheticTables
{
    /// <summary>
    /// <paramref name="users"/> users, each with 3 + (u mod 5) distinct items, timestamps decreasing in table
    /// order for odd users (so table order and time order differ), plus a repeated event on one pair per user.
    /// </summary>
    public static InteractionTable Mixed(int users = 50, int items = 40)
    {
        var table = new InteractionTable();
        for (var u = 0; u < users; u++)
        {
            var count = 3 + u % 5;
            for (var j = 0; j < count; j++)
            {
                var time = u % 2 == 0 ? 1000 + j * 10 + u : 5000 - j * 10 + u;
                table.Add($"u{u}", $"i{(u * 7 + j * 3) % items}", "view", 1f, time);
            }
            table.Add($"u{u}", $"i{(u * 7) % items}", "cart", 1f, 9000 + u);
        }
        return table;
    }
}
