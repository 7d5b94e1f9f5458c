namespace Fresco.Models.Factors;

/// <summary>How a <see cref="FactorModel"/> scores against its item table; stored in model files as one byte.</summary>
public enum ItemQuantization : byte
{
    /// <summary>Exact fp32 dot products through the blocked panel kernel.</summary>
    None = 0,

    /// <summary>
    /// Each item row quantized to int8 with its own symmetric scale, the user vector quantized per request, scored with
    /// <see cref="Core.Linalg.Quantization.Int8Kernels"/>. The fp32 table is kept for fold-in and the model file.
    /// </summary>
    Int8 = 1,
}
