namespace Fresco.Core.Models;

/// <summary>
/// A model that can serve through quantized (int8) arithmetic and still hold its exact weights, so that evaluation
/// can compare its lists with the exact model's (see <c>Overlap@K</c> in evaluation). Thread-safe.
/// </summary>
public interface IQuantizedModel
{
    /// <summary>Whether <see cref="IRecommender.Score"/> uses quantized arithmetic.</summary>
    bool IsQuantized { get; }

    /// <summary>
    /// The same weights scored exactly (this model when it is not quantized). May build scoring structures
    /// (memory about the size of the item table): call it off the request path.
    /// </summary>
    IRecommender Exact();
}
