using System.Text.Json.Serialization;

namespace Fresco.Engine.Experiments;

/// <summary>How an experiment is stored: source-generated JSON, PascalCase as the API. Thread-safe (immutable).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Experiment))]
internal sealed partial class ExperimentJson : JsonSerializerContext;
