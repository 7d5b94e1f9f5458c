using System.Globalization;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Storage;
using Fresco.Models;

namespace Fresco.Engine.Models;

/// <summary>
/// Which model scores a list when it is not the serving one: a model <see cref="Kind"/> (a name of
/// <see cref="ModelCatalog"/>, such as <c>als</c>: the serving model when it is of that kind, else the newest stored
/// version of that kind the quality gate did not reject) or one stored <see cref="Version"/> (whatever the gate said).
/// Immutable value.
/// </summary>
internal sealed record ModelChoice(string? Kind, long Version)
{
    /// <summary>
    /// Parses a kind name (any case) or a version number (a positive integer); throws <see cref="ScenarioException"/>
    /// naming <paramref name="where"/> for anything else.
    /// </summary>
    public static ModelChoice Parse(string text, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return version > 0 ? new ModelChoice(null, version) : throw new ScenarioException(where, $"a model version is a positive number, not {text}.");
        }
        var kind = ModelCatalog.All.FirstOrDefault(d => string.Equals(d.Name, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new ScenarioException(where, $"'{text}' is neither a model kind ({string.Join(", ", ModelCatalog.All.Select(d => d.Name))}) " +
                "nor a stored version number.");
        return new ModelChoice(kind.Name, 0);
    }

    /// <summary>
    /// The stored version this choice names now: the version itself, or for a kind the serving version when it is of
    /// that kind, else the newest of <paramref name="stored"/> of that kind not rejected by the gate; 0 when there is none.
    /// </summary>
    public long Resolve(ServingModel? serving, IReadOnlyList<ModelVersion> stored)
    {
        if (Kind is null)
        {
            return Version;
        }
        if (serving is not null && string.Equals(serving.Kind, Kind, StringComparison.OrdinalIgnoreCase))
        {
            return serving.Version;
        }
        var newest = 0L;
        foreach (var version in stored)
        {
            if (version.Version > newest && string.Equals(version.Kind, Kind, StringComparison.OrdinalIgnoreCase)
                && !version.Metrics.ContainsKey(ModelRegistry.RejectedMarker))
            {
                newest = version.Version;
            }
        }
        return newest;
    }

    public override string ToString() => Kind ?? Version.ToString(CultureInfo.InvariantCulture);
}
