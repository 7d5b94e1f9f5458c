namespace Fresco.Core.Linalg.Quantization;

/// <summary>The instruction set an int8 kernel runs on; <see cref="Int8Kernels.BestPath"/> picks the fastest supported.</summary>
public enum Int8Path
{
    /// <summary>Portable scalar loop: the reference every SIMD path is tested against.</summary>
    Scalar,

    /// <summary>AVX2: bytes widened to 16-bit lanes, then vpmaddwd (16-bit products summed in pairs into int32; cannot saturate for byte inputs).</summary>
    Avx2,

    /// <summary>AVX-512BW: as <see cref="Avx2"/> on 512-bit registers.</summary>
    Avx512,

    /// <summary>AVX-VNNI vpdpbusd on 256-bit registers: unsigned x signed bytes, four products summed into each int32 lane without saturation.</summary>
    Vnni,
}
