namespace Fresco.Core.Nn;

/// <summary>
/// A trainable tensor: a flat value buffer and its gradient buffer of the same length. Not thread-safe: one
/// training loop owns it.
/// </summary>
public sealed class NnParameter
{
    /// <summary>Creates a zero-initialized parameter of <paramref name="length"/> values.</summary>
    public NnParameter(string name, int length, bool decay = true)
        : this(name, new float[length], decay)
    {
    }

    /// <summary>Wraps <paramref name="value"/> (not copied).</summary>
    public NnParameter(string name, float[] value, bool decay = true)
    {
        Name = name;
        Value = value;
        Grad = new float[value.Length];
        Decay = decay;
    }

    /// <summary>The parameter's name, for diagnostics and serialization.</summary>
    public string Name { get; }

    /// <summary>The values.</summary>
    public float[] Value { get; }

    /// <summary>The accumulated gradient.</summary>
    public float[] Grad { get; }

    /// <summary>Whether the optimizer applies weight decay (false for biases and normalization gains).</summary>
    public bool Decay { get; }

    /// <summary>Clears the gradient.</summary>
    public void ZeroGrad() => Array.Clear(Grad);
}
