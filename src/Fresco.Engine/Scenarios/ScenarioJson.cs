using System.Text.Json.Serialization;

namespace Fresco.Engine.Scenarios;

/// <summary>How a scenario is stored: source-generated JSON, PascalCase as the API. Thread-safe (immutable).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Scenario))]
internal sealed partial class ScenarioJson : JsonSerializerContext;
