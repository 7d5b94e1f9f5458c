using System.Buffers;
using System.Numerics.Tensors;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Engine.Models;
using Fresco.Engine.Serving;
using Fresco.Models.Factors;

namespace Fresco.Retrieval.Usearch;

/// <summary>
/// Approximate candidate retrieval over a factor model's item vectors with USearch's HNSW graphs: an inner-product
/// index for users (the model's score; an item bias becomes one more dimension, with 1 in the query) and, when
/// <see cref="UsearchOptions.SimilarItems"/>, a cosine index for similar items. Scores are the model's: dot
/// product (+ bias) for <see cref="Retrieve"/>, cosine for <see cref="RetrieveSimilar"/>. Immutable after
/// construction; thread-safe for concurrent searches; a warmed search allocates nothing. The native indexes are
/// freed by <see cref="Dispose"/> or, when the engine just drops the retriever on a model swap, by the finalizer
/// once no request uses it.
/// </summary>
public sealed class UsearchRetriever : ICandidateRetriever, IDisposable
{
    private const int StackLimit = 512;

    private readonly FactorModel _model;
    private readonly UsearchIndex _dot;
    private readonly UsearchIndex? _cosine;
    private readonly bool _bias;

    public UsearchRetriever(FactorModel model, UsearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options = (options ?? new UsearchOptions()).Validate();
        _model = model;
        _bias = !model.ItemBias.IsEmpty;
        var factors = model.Factors;
        _dot = UsearchIndex.Build(UsearchNative.MetricInnerProduct, factors + (_bias ? 1 : 0), model.ItemCount, options,
            (row, destination) =>
            {
                model.ItemVector(row).CopyTo(destination);
                if (_bias)
                {
                    destination[factors] = model.ItemBias[row];
                }
            });
        if (options.SimilarItems)
        {
            _cosine = UsearchIndex.Build(UsearchNative.MetricCosine, factors, model.ItemCount, options,
                (row, destination) => model.ItemVector(row).CopyTo(destination));
        }
    }

    public FactorModel Model => _model;

    /// <summary>Native bytes held by both indexes.</summary>
    public long MemoryBytes => _dot.MemoryBytes + (_cosine?.MemoryBytes ?? 0);

    /// <summary>
    /// The retriever for <paramref name="serving"/> when its model is a <see cref="FactorModel"/> with at least
    /// <see cref="UsearchOptions.MinItems"/> items; otherwise null (the exact scan serves). Builds the indexes
    /// (seconds to minutes for millions of items): call it off request threads. Matches
    /// <c>Func&lt;ServingModel, ICandidateRetriever?&gt;</c>.
    /// </summary>
    public static ICandidateRetriever? Create(ServingModel serving) => Create(serving, null);

    public static ICandidateRetriever? Create(ServingModel serving, UsearchOptions? options)
    {
        ArgumentNullException.ThrowIfNull(serving);
        options = (options ?? new UsearchOptions()).Validate();
        return serving.Model is FactorModel model && model.ItemCount >= options.MinItems ? new UsearchRetriever(model, options) : null;
    }

    /// <summary>The user's vector (the model's row for a known user, fold-in from the history otherwise) searched by inner product.</summary>
    public int Retrieve(UserHistory user, Span<ScoredItem> destination)
    {
        var dimensions = _dot.Dimensions;
        float[]? rented = null;
        var query = dimensions <= StackLimit ? stackalloc float[dimensions] : (rented = ArrayPool<float>.Shared.Rent(dimensions)).AsSpan(0, dimensions);
        try
        {
            var vector = query[.._model.Factors];
            if ((uint)user.UserIndex < (uint)_model.UserCount)
            {
                _model.UserVector(user.UserIndex).CopyTo(vector);
            }
            else
            {
                _model.FoldIn(user.Items, user.Weights, vector);
            }
            if (_bias)
            {
                query[^1] = 1f;
            }
            return Search(_dot, query, destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Items by cosine similarity to <paramref name="itemIndex"/>, the item itself left out; 0 without the cosine index or for an unknown item.</summary>
    public int RetrieveSimilar(int itemIndex, Span<ScoredItem> destination)
    {
        if (_cosine is null || (uint)itemIndex >= (uint)_model.ItemCount || destination.IsEmpty)
        {
            return 0;
        }
        var item = _model.ItemVector(itemIndex);
        if (TensorPrimitives.Norm(item) == 0f)
        {
            return 0;
        }
        var wanted = Math.Min(destination.Length + 1, _model.ItemCount);
        ScoredItem[]? rented = null;
        var found = wanted <= StackLimit ? stackalloc ScoredItem[wanted] : (rented = ArrayPool<ScoredItem>.Shared.Rent(wanted)).AsSpan(0, wanted);
        try
        {
            var count = Search(_cosine, item, found);
            var written = 0;
            for (var i = 0; i < count && written < destination.Length; i++)
            {
                if (found[i].ItemIndex != itemIndex)
                {
                    destination[written++] = found[i];
                }
            }
            return written;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<ScoredItem>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Changes the search expansion of both indexes. Not safe while searches run: for benchmarks and tuning.</summary>
    internal void ChangeExpansionSearch(int expansion)
    {
        _dot.ChangeExpansionSearch(expansion);
        _cosine?.ChangeExpansionSearch(expansion);
    }

    public void Dispose()
    {
        _dot.Dispose();
        _cosine?.Dispose();
    }

    /// <summary>Searches and converts USearch distances (1 - similarity for both metrics) back to similarities.</summary>
    private static int Search(UsearchIndex index, ReadOnlySpan<float> query, Span<ScoredItem> destination)
    {
        var length = destination.Length;
        ulong[]? rentedKeys = null;
        float[]? rentedDistances = null;
        var keys = length <= StackLimit ? stackalloc ulong[length] : (rentedKeys = ArrayPool<ulong>.Shared.Rent(length)).AsSpan(0, length);
        var distances = length <= StackLimit ? stackalloc float[length] : (rentedDistances = ArrayPool<float>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            var found = index.Search(query, keys, distances);
            for (var i = 0; i < found; i++)
            {
                destination[i] = new ScoredItem((int)keys[i], 1f - distances[i]);
            }
            return found;
        }
        finally
        {
            if (rentedKeys is not null)
            {
                ArrayPool<ulong>.Shared.Return(rentedKeys);
                ArrayPool<float>.Shared.Return(rentedDistances!);
            }
        }
    }
}
