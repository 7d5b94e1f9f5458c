namespace Fresco.Models.Factors;

/// <summary>The common part of a factor model file, as read back. Immutable.</summary>
public sealed record FactorModelBody(
    int Factors,
    float[] UserFactors,
    float[] ItemFactors,
    float[]? ItemBias,
    IReadOnlyDictionary<string, string> Options,
    ItemQuantization Quantization = ItemQuantization.None);
