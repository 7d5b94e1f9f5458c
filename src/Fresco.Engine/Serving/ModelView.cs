using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// A serving model as the pipeline sees it: its item indices mapped to live item indices. Normally the model's
/// index space is a prefix of the live one (model item j is live item j) and no map is kept; a model whose ids
/// differ (a version trained by an earlier process, rolled back to) gets a map both ways, built once. A model column
/// that was free at training ("": a released slot), or whose item the live state no longer holds, maps to no live
/// item. A live slot given to a new item after the view read the ids (id compaction:
/// <see cref="LiveInteractions.ItemSince"/>) maps to no model column either way, so the model never scores a new item
/// as the slot's former one. Immutable except for <see cref="Retriever"/>, published once
/// when built in the background. Thread-safe.
/// </summary>
internal sealed class ModelView
{
    private readonly int[]? _modelToLive;
    private readonly int[]? _liveToModel;
    private readonly LiveInteractions _live;
    private readonly long _asOf;
    private volatile ICandidateRetriever? _retriever;

    private ModelView(ServingModel serving, LiveInteractions live, long asOf, int[]? modelToLive, int[]? liveToModel, bool hasSimilarity,
        bool sameUsers)
    {
        _live = live;
        _asOf = asOf;
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

    /// <summary>Live indices must go through <see cref="ToModel"/>: the view is not the identity, or a slot below the model's count was given to a new item since it was built.</summary>
    public bool MapsItems => _modelToLive is not null || _live.LastItemReuse > _asOf;

    public bool HasSimilarity { get; }

    /// <summary>Model user u is live user u for every user the model holds.</summary>
    public bool SameUsers { get; }

    public ICandidateRetriever? Retriever
    {
        get => _retriever;
        set => _retriever = value;
    }

    /// <summary>The live index of a model item, or -1 when it has none (a free column, or a slot given to a new item since).</summary>
    public int ToLive(int modelItem)
    {
        var live = _modelToLive is null ? modelItem : _modelToLive[modelItem];
        return live >= 0 && SameOwner(live) ? live : -1;
    }

    /// <summary>The model's index of a live item, or -1 when the model does not know it.</summary>
    public int ToModel(int liveItem)
    {
        var model = _liveToModel is null
            ? (uint)liveItem < (uint)Model.ItemCount ? liveItem : -1
            : (uint)liveItem < (uint)_liveToModel.Length ? _liveToModel[liveItem] : -1;
        return model >= 0 && SameOwner(liveItem) ? model : -1;
    }

    /// <summary>The live slot has the item it had when the view read the ids (one volatile read unless a slot was reused since).</summary>
    private bool SameOwner(int liveItem) => _live.LastItemReuse <= _asOf || _live.ItemSince(liveItem) <= _asOf;

    /// <summary>Maps the model by its stored ids; a model item the live state does not hold maps to none.</summary>
    public static ModelView Build(ServingModel serving, LiveInteractions live)
    {
        // Before the ids are read: a slot given to a new item from here on has a later stamp.
        var asOf = live.Version;
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
            return new ModelView(serving, live, asOf, null, null, hasSimilarity, sameUsers);
        }
        var modelToLive = new int[count];
        for (var j = 0; j < count; j++)
        {
            // An id the live state does not hold (a deleted item whose slot was released since the model's training
            // snapshot: an eviction sweep may release it while the model trains) maps to no live item; registering it
            // would give a slot to an item without a catalog row, never released again.
            modelToLive[j] = ids[j].Length != 0 && live.TryGetItemIndex(ids[j], out var item) ? item : -1;
        }
        var liveToModel = new int[live.ItemCount];
        Array.Fill(liveToModel, -1);
        for (var j = 0; j < count; j++)
        {
            if (modelToLive[j] >= 0)
            {
                liveToModel[modelToLive[j]] = j;
            }
        }
        return new ModelView(serving, live, asOf, modelToLive, liveToModel, hasSimilarity, sameUsers);
    }
}
