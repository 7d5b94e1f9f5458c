using Fresco.Core.Ranking;

namespace Fresco.Engine.Serving;

/// <summary>
/// Where one answer's candidates come from: a personal history scored by a model view (<see cref="ForHistory"/>: then
/// item-to-item, trending, latest, popular and the catalog fill up) or one non-personalised list alone
/// (<see cref="ForList"/>). Lives on the stack of one call.
/// </summary>
internal readonly ref struct AnswerSources
{
    private AnswerSources(ModelView? view, int modelUser, ReadOnlySpan<int> history, ReadOnlySpan<float> weights, ScoredItem[]? list,
        string listSource)
    {
        View = view;
        ModelUser = modelUser;
        History = history;
        Weights = weights;
        List = list;
        ListSource = listSource;
    }

    public ModelView? View { get; }

    public int ModelUser { get; }

    public ReadOnlySpan<int> History { get; }

    public ReadOnlySpan<float> Weights { get; }

    /// <summary>The one list to pick from; null: the whole chain from a history.</summary>
    public ScoredItem[]? List { get; }

    public string ListSource { get; }

    public static AnswerSources ForHistory(ModelView? view, int modelUser, ReadOnlySpan<int> history, ReadOnlySpan<float> weights) =>
        new(view, modelUser, history, weights, null, "");

    public static AnswerSources ForList(ScoredItem[] list, string source) => new(null, -1, [], [], list, source);
}
