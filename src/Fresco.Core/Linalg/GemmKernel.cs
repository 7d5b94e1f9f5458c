namespace Fresco.Core.Linalg;

/// <summary>Which micro-kernel <see cref="Gemm"/> runs; <see cref="Auto"/> picks the widest the hardware accelerates. Immutable.</summary>
internal enum GemmKernel
{
    Auto,
    Vector512,
    Vector256,
    Scalar,
}
