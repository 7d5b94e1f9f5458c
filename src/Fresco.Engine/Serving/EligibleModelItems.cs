using Fresco.Core.Ranking;

namespace Fresco.Engine.Serving;

/// <summary>
/// The ranking mask over a model's item indices: model item j is allowed when the picker would take its live item.
/// Lives on the stack of one call; its copy of the picker reads the same blocked set, so it sees every pick made.
/// </summary>
internal readonly ref struct EligibleModelItems(ModelView view, Picker picker) : IItemMask
{
    private readonly ModelView _view = view;
    private readonly Picker _picker = picker;

    public bool Allows(int itemIndex) => _picker.IsEligible(_view.ToLive(itemIndex));
}
