using Fresco.Core.Models;
using Fresco.Core.Serialization;
using Fresco.Models.Als;
using Fresco.Models.Bpr;
using Fresco.Models.Ease;
using Fresco.Models.ItemKnn;
using Fresco.Models.LightGcn;
using Fresco.Models.Popularity;
using Fresco.Models.Transformer;

namespace Fresco.Models;

/// <summary>Every model kind this build knows, by name. Thread-safe (immutable).</summary>
public static class ModelCatalog
{
    private static readonly ModelDescriptor[] s_all =
    [
        PopularityModel.Descriptor,
        AlsModel.Descriptor,
        BprModel.Descriptor,
        ItemKnnModel.Descriptor,
        EaseModel.Descriptor,
        LightGcnModel.Descriptor,
        TransformerModel.Descriptor,
    ];

    private static readonly Dictionary<string, Func<ModelReader, int, IRecommender>> s_loaders =
        s_all.ToDictionary(d => d.Name, d => d.Load, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<ModelDescriptor> All => s_all;

    public static IReadOnlyDictionary<string, Func<ModelReader, int, IRecommender>> Loaders => s_loaders;

    /// <summary>The descriptor named <paramref name="name"/>; an unknown name throws an <see cref="OptionException"/> listing the known ones.</summary>
    public static ModelDescriptor Get(string name) =>
        s_all.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new OptionException($"Unknown model '{name}'. Known models: {string.Join(", ", s_all.Select(d => d.Name))}.");

    /// <summary>Options for <paramref name="name"/> with the given "name=value" assignments applied and validated.</summary>
    public static ModelOptions CreateOptions(string name, IEnumerable<string>? assignments = null)
    {
        var options = Get(name).CreateOptions();
        if (assignments is not null)
        {
            options.SetAll(assignments);
        }
        options.Validate();
        return options;
    }

    public static IRecommender Train(string name, TrainingContext context) => Get(name).Train(context);

    public static void Save(IRecommender model, string path) => ModelFile.Save(model, Get(model.Kind).BodyVersion, path);

    public static void Save(IRecommender model, Stream stream) => ModelFile.Save(model, Get(model.Kind).BodyVersion, stream);

    public static IRecommender Load(string path) => ModelFile.Load(path, s_loaders);

    public static IRecommender Load(Stream stream) => ModelFile.Load(stream, s_loaders);
}
