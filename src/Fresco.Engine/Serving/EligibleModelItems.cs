using Fresco.Core.Ranking;

namespace Fresco.Engine.Serving;

/// <summary>
/// The ranking mask over a model's item indices: model item j is allowed when its live item is
/// <see cref="EligibleItems">eligible</see>. Lives on the stack of one call.
/// </summary>
internal readonly ref struct EligibleModelItems(ModelView view, EligibleItems eligible) : IItemMask
{
    private readonly ModelView _view = view;
    private readonly EligibleItems _eligible = eligible;

    public bool Allows(int itemIndex) => _eligible.Allows(_view.ToLive(itemIndex));
}
