namespace Fresco.Core.Ranking;

/// <summary>
/// Which items a ranking may return, asked once per item by <see cref="Ranker"/>. Implement it on a struct (a ref
/// struct is fine): the kernel is generic over the mask, so the call is inlined and nothing is boxed.
/// <see cref="Allows"/> must not change state; it may be called from any thread the caller ranks on.
/// </summary>
public interface IItemMask
{
    bool Allows(int itemIndex);
}
