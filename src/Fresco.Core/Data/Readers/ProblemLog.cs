namespace Fresco.Core.Data.Readers;

/// <summary>Counts skipped rows and keeps the first few with their line numbers and reasons. Not thread-safe.</summary>
internal sealed class ProblemLog
{
    public const int Kept = 5;

    private readonly List<string> _first = [];

    public long Skipped { get; private set; }

    public IReadOnlyList<string> First => _first;

    public void Skip(string fileName, long lineNumber, string reason)
    {
        Skipped++;
        if (_first.Count < Kept)
        {
            _first.Add($"{fileName} line {lineNumber}: {reason}");
        }
    }
}
