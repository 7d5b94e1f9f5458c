namespace Fresco.Cli.Tests;

/// <summary>A temporary folder for one test, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "fresco-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    public string Write(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// A small events CSV: item "hit" is viewed by 4 users, "mid" by 3, "low" by 2, "rare" by 1; user "a" viewed
    /// hit and low; "z" only buys "rare".
    /// </summary>
    public string WriteEvents() => Write("events.csv", string.Join('\n',
        "a,hit,1,pv,1000", "a,low,1,pv,1001", "b,hit,1,pv,1002", "b,mid,2,pv,1003", "c,hit,1,pv,1004", "c,mid,2,cart,1005",
        "d,hit,1,pv,1006", "d,mid,2,fav,1007", "d,low,1,pv,1008", "z,rare,3,buy,1009") + "\n");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
