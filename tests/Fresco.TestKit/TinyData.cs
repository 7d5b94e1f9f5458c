using Fresco.Core.Data;
using Fresco.Core.Models;

namespace Fresco.TestKit;

/// <summary>
/// A tiny deterministic data set with two tastes: users 0-9 like items 0-9, users 10-19 like items 10-19;
/// each user has interacted with 6 of their group's 10 items (a rotating window), so every user has 4 unseen
/// items of their own taste to be recommended. Item 20 is never touched (cold).
/// </summary>
public static class TinyData
{
    public const int Users = 20;
    public const int Items = 21;

    public static CsrMatrix Matrix()
    {
        var builder = new CsrBuilder(Users, Items);
        for (var u = 0; u < Users; u++)
        {
            var group = u < 10 ? 0 : 10;
            for (var j = 0; j < 6; j++)
            {
                builder.Add(u, group + (u + j) % 10, 1f);
            }
        }
        return builder.Build();
    }

    public static TrainingData Training() => new(Matrix());

    /// <summary>True when <paramref name="item"/> belongs to the taste group of <paramref name="user"/>.</summary>
    public static bool SameGroup(int user, int item) => item < 20 && (user < 10) == (item < 10);
}
