using Fresco.Engine.Models;
using Fresco.Engine.Realtime;
using Microsoft.Extensions.Logging;

namespace Fresco.Engine.Serving;

/// <summary>
/// The <see cref="ModelView"/> of the registry's serving model, rebuilt once per swap (promotion, rollback) on the
/// first read after it; each new view gets its approximate candidate retriever built in the background by
/// <paramref name="retrievers"/> (null: always exact scoring). Thread-safe: reads are one volatile read while the
/// model is unchanged; a rebuild takes a lock.
/// </summary>
internal sealed class ModelViews(ModelRegistry registry, LiveInteractions live, Func<ServingModel, ICandidateRetriever?>? retrievers,
    ILogger logger)
{
    private readonly Lock _lock = new();
    private volatile ModelView? _view;

    /// <summary>The view of the serving model, or null when none is served.</summary>
    public ModelView? Current()
    {
        var serving = registry.Current;
        var view = _view;
        if (serving is null || ReferenceEquals(view?.Serving, serving))
        {
            return serving is null ? null : view;
        }
        lock (_lock)
        {
            view = _view;
            if (ReferenceEquals(view?.Serving, serving))
            {
                return view;
            }
            view = ModelView.Build(serving, live);
            _view = view;
            EngineLog.ModelSwapped(logger, serving.Version, serving.Kind, !view.IsIdentity);
        }
        if (retrievers is not null)
        {
            var built = view;
            _ = Task.Run(() =>
            {
                try
                {
                    built.Retriever = retrievers(built.Serving);
                }
                catch (Exception e)
                {
                    EngineLog.RetrieverFailed(logger, built.Serving.Version, e);
                }
            });
        }
        return view;
    }
}
