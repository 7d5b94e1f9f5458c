namespace Fresco.Retrieval.Usearch;

/// <summary>Settings of <see cref="UsearchRetriever"/> (HNSW graph parameters). Mutable until handed to a build.</summary>
public sealed class UsearchOptions
{
    /// <summary>Catalogs smaller than this are left to the exact scan (the factory returns null). Default 100,000.</summary>
    public int MinItems { get; set; } = 100_000;

    /// <summary>Graph edges per node (HNSW M). Default 16.</summary>
    public int Connectivity { get; set; } = 16;

    /// <summary>Candidate list size while inserting (HNSW efConstruction). Default 128.</summary>
    public int ExpansionAdd { get; set; } = 128;

    /// <summary>Candidate list size while searching (HNSW ef); raised to the number of results asked for. Default 128.</summary>
    public int ExpansionSearch { get; set; } = 128;

    /// <summary>Threads that insert while building; 0: all cores.</summary>
    public int BuildThreads { get; set; }

    /// <summary>Also build a cosine index for <see cref="UsearchRetriever.RetrieveSimilar"/> (doubles build time and memory). Default true.</summary>
    public bool SimilarItems { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public UsearchOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MinItems, "Retrieval:MinItems");
        ArgumentOutOfRangeException.ThrowIfLessThan(Connectivity, 2, "Retrieval:Connectivity");
        ArgumentOutOfRangeException.ThrowIfLessThan(ExpansionAdd, 1, "Retrieval:ExpansionAdd");
        ArgumentOutOfRangeException.ThrowIfLessThan(ExpansionSearch, 1, "Retrieval:ExpansionSearch");
        ArgumentOutOfRangeException.ThrowIfNegative(BuildThreads, "Retrieval:BuildThreads");
        return this;
    }
}
