namespace Fresco.Evaluation;

/// <summary>An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread (unlike <see cref="Progress{T}"/>, which posts). Thread-safe when the handler is.</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
