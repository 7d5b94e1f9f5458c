namespace Fresco.Core.Nn;

/// <summary>
/// Adam with bias correction and decoupled weight decay (Loshchilov and Hutter), in the PyTorch form:
/// <c>w -= lr * wd * w</c> (for parameters with <see cref="NnParameter.Decay"/>), then
/// <c>w -= lr * mhat / (sqrt(vhat) + eps)</c>. Not thread-safe: one training loop owns it.
/// </summary>
public sealed class AdamW
{
    private readonly NnParameter[] _parameters;
    private readonly float[][] _first;
    private readonly float[][] _second;
    private int _step;

    /// <summary>Creates the optimizer with zero moments for each parameter.</summary>
    public AdamW(
        IReadOnlyList<NnParameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0.01f)
    {
        _parameters = [.. parameters];
        _first = [.. _parameters.Select(p => new float[p.Value.Length])];
        _second = [.. _parameters.Select(p => new float[p.Value.Length])];
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>The learning rate; may be changed between steps (schedules).</summary>
    public float LearningRate { get; set; }

    /// <summary>Decay rate of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay rate of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the root of the second moment.</summary>
    public float Epsilon { get; }

    /// <summary>Decoupled weight decay coefficient.</summary>
    public float WeightDecay { get; }

    /// <summary>The number of steps taken.</summary>
    public int StepCount => _step;

    /// <summary>Updates every parameter from its gradient (gradients are left unchanged).</summary>
    public void Step()
    {
        _step++;
        var correction1 = 1.0 - Math.Pow(Beta1, _step);
        var correction2 = 1.0 - Math.Pow(Beta2, _step);
        var stepSize = (float)(LearningRate / correction1);
        var rootCorrection2 = (float)Math.Sqrt(correction2);
        for (var p = 0; p < _parameters.Length; p++)
        {
            var parameter = _parameters[p];
            var w = parameter.Value;
            var g = parameter.Grad;
            var m = _first[p];
            var v = _second[p];
            var shrink = parameter.Decay ? 1f - LearningRate * WeightDecay : 1f;
            for (var i = 0; i < w.Length; i++)
            {
                m[i] = Beta1 * m[i] + (1f - Beta1) * g[i];
                v[i] = Beta2 * v[i] + (1f - Beta2) * g[i] * g[i];
                var denominator = MathF.Sqrt(v[i]) / rootCorrection2 + Epsilon;
                w[i] = w[i] * shrink - stepSize * m[i] / denominator;
            }
        }
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.ZeroGrad();
        }
    }
}
