using System.Text.Json.Serialization;
using Fresco.Engine.Experiments;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Storage;

namespace Fresco.Server.Contracts;

/// <summary>
/// Source-generated JSON metadata for every contract: Gorse's PascalCase field names, case-insensitive reading (as Go's
/// encoding/json), no reflection on the request path. Thread-safe (immutable).
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, AllowTrailingCommas = false)]
[JsonSerializable(typeof(UserContract))]
[JsonSerializable(typeof(UserContract[]))]
[JsonSerializable(typeof(UserPatchContract))]
[JsonSerializable(typeof(ItemContract))]
[JsonSerializable(typeof(ItemContract[]))]
[JsonSerializable(typeof(ItemPatchContract))]
[JsonSerializable(typeof(FeedbackContract))]
[JsonSerializable(typeof(FeedbackContract[]))]
[JsonSerializable(typeof(WriteResult))]
[JsonSerializable(typeof(UserPage))]
[JsonSerializable(typeof(ItemPage))]
[JsonSerializable(typeof(FeedbackPage))]
[JsonSerializable(typeof(HealthContract))]
[JsonSerializable(typeof(Fresco.Engine.Cluster.ClusterView))]
[JsonSerializable(typeof(ScoreContract[]))]
[JsonSerializable(typeof(ModelsContract))]
[JsonSerializable(typeof(ModelVersion))]
[JsonSerializable(typeof(TrainingContract))]
[JsonSerializable(typeof(TrainingStartedContract))]
[JsonSerializable(typeof(OutcomeContract))]
[JsonSerializable(typeof(Scenario))]
[JsonSerializable(typeof(ScenarioVersion))]
[JsonSerializable(typeof(ScenarioVersion[]))]
[JsonSerializable(typeof(Experiment))]
[JsonSerializable(typeof(ExperimentInfo))]
[JsonSerializable(typeof(ExperimentInfo[]))]
[JsonSerializable(typeof(ExperimentResults))]
[JsonSerializable(typeof(OverviewContract))]
[JsonSerializable(typeof(DashboardSettings))]
public sealed partial class FrescoJson : JsonSerializerContext;
