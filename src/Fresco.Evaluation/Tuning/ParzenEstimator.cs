namespace Fresco.Evaluation.Tuning;

/// <summary>
/// A one-dimensional Parzen estimator: a mixture of Gaussians truncated to [low, high], one per observation
/// plus a wide prior at the centre, each with a bandwidth from the gap to its neighbours (as in Bergstra et
/// al., "Algorithms for Hyper-Parameter Optimization", NeurIPS 2011). Immutable; sampling uses the caller's
/// random source.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _logNormalizers;
    private readonly double _low;
    private readonly double _high;

    public ParzenEstimator(ReadOnlySpan<double> observations, double low, double high)
    {
        _low = low;
        _high = high;
        var width = Math.Max(high - low, 1e-12);
        var mus = new double[observations.Length + 1];
        observations.CopyTo(mus);
        mus[^1] = 0.5 * (low + high);
        var isPrior = new bool[mus.Length];
        isPrior[^1] = true;
        Array.Sort(mus, isPrior);
        var minSigma = width / Math.Min(100.0, 1 + observations.Length);
        _sigmas = new double[mus.Length];
        _logNormalizers = new double[mus.Length];
        for (var i = 0; i < mus.Length; i++)
        {
            var left = mus[i] - (i > 0 ? mus[i - 1] : low);
            var right = (i < mus.Length - 1 ? mus[i + 1] : high) - mus[i];
            _sigmas[i] = isPrior[i] ? width : Math.Clamp(Math.Max(left, right), minSigma, width);
            var mass = NormalCdf((high - mus[i]) / _sigmas[i]) - NormalCdf((low - mus[i]) / _sigmas[i]);
            _logNormalizers[i] = Math.Log(Math.Max(mass, 1e-300)) + Math.Log(_sigmas[i] * Math.Sqrt(2 * Math.PI));
        }
        _mus = mus;
    }

    public double Sample(Random random)
    {
        var component = random.Next(_mus.Length);
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var x = _mus[component] + _sigmas[component] * Gaussian(random);
            if (x >= _low && x <= _high)
            {
                return x;
            }
        }
        return Math.Clamp(_mus[component], _low, _high);
    }

    /// <summary>The log density at <paramref name="x"/> (equal component weights).</summary>
    public double LogDensity(double x)
    {
        var max = double.NegativeInfinity;
        Span<double> terms = _mus.Length <= 256 ? stackalloc double[_mus.Length] : new double[_mus.Length];
        for (var i = 0; i < _mus.Length; i++)
        {
            var z = (x - _mus[i]) / _sigmas[i];
            terms[i] = -0.5 * z * z - _logNormalizers[i];
            max = Math.Max(max, terms[i]);
        }
        var sum = 0.0;
        foreach (var t in terms)
        {
            sum += Math.Exp(t - max);
        }
        return max + Math.Log(sum) - Math.Log(_mus.Length);
    }

    internal static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The standard normal CDF through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7).</summary>
    internal static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1.0 / (1.0 + 0.3275911 * x);
        var poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        var erf = 1.0 - poly * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
