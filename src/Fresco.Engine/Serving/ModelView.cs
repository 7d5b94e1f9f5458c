using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// A serving model as the pipeline sees it: its item indices mapped to live item indices. Normally the model's
/// index space is a prefix of the live one (model item j is live item j) and no map is kept; a model whose ids
/// differ (a version trained by an earlier process, rolled back to) gets a map both ways, built once. Immutable
/// except for <see cref="Retriever"/>, published once when built in the background. Thread-safe.
/// </summary>
internal sealed class ModelView
{
    private readonly int[]? _modelToLive;
    private readonly int[]? _liveToModel;
    private volatile ICandidateRetriever? _retriever;

    private ModelView(ServingModel serving, int[]? modelToLive, int[]? liveToModel, bool hasSimilarity, bool sameUsers)
    {
        SameUsers = sameUsers;
        Serving = serving;
        Model = serving.Model;
        _modelToLive = modelToLive;
        _liveToModel = liveToModel;
        HasSimilarity = hasSimilarity;
    }

    public ServingModel Serving { get; }

    public IRecommender Model { get; }

    /// <summary>The <see cref="ScoredId.Source"/> of the model's candidates: its kind.</summary>
    public string Kind => Serving.Kind;

    public bool IsIdentity => _modelToLive is null;

    public bool HasSimilarity { get; }

    /// <summary>Model user u is live user u for every user the model holds.</summary>
    public bool SameUsers { get; }

    public ICandidateRetriever? Retriever
    {
        get => _retriever;
        set => _retriever = value;
    }

    public int ToLive(int modelItem) => _modelToLive is null ? modelItem : _modelToLive[modelItem];

    /// <summary>The model's index of a live item, or -1 when the model does not know it.</summary>
    public int ToModel(int liveItem)
    {
        if (_liveToModel is null)
        {
            return (uint)liveItem < (uint)Model.ItemCount ? liveItem : -1;
        }
        return (uint)liveItem < (uint)_liveToModel.Length ? _liveToModel[liveItem] : -1;
    }

    /// <summary>Maps the model by its stored ids, registering ids the live state has not seen (as items without feedback).</summary>
    public static ModelView Build(ServingModel serving, LiveInteractions live)
    {
        var ids = serving.Ids.ItemIds;
        var count = serving.Model.ItemCount;
        var identity = true;
        for (var j = 0; j < count && identity; j++)
        {
            identity = j < live.ItemCount && string.Equals(live.GetItemId(j), ids[j], StringComparison.Ordinal);
        }
        var hasSimilarity = count > 0 && serving.Model.TryScoreSimilar(0, new float[count]);
        var userIds = serving.Ids.UserIds;
        var sameUsers = serving.Model.UserCount <= userIds.Count;
        for (var u = 0; u < serving.Model.UserCount && sameUsers; u++)
        {
            // A free row ("": a released slot at training) matches whoever holds the slot now: a user given it later has
            // a snapshot version above the model's, so ModelRows never hands them that row.
            sameUsers = u < live.UserCount && (userIds[u].Length == 0 || string.Equals(live.GetUserId(u), userIds[u], StringComparison.Ordinal));
        }
        if (identity)
        {
            return new ModelView(serving, null, null, hasSimilarity, sameUsers);
        }
        var modelToLive = new int[count];
        for (var j = 0; j < count; j++)
        {
            modelToLive[j] = live.EnsureItem(ids[j]);
        }
        var liveToModel = new int[live.ItemCount];
        Array.Fill(liveToModel, -1);
        for (var j = 0; j < count; j++)
        {
            liveToModel[modelToLive[j]] = j;
        }
        return new ModelView(serving, modelToLive, liveToModel, hasSimilarity, sameUsers);
    }
}
