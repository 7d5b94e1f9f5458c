using System.Text.Json.Serialization;

namespace Fresco.Client;

/// <summary>Source-generated JSON metadata of every shape the client sends or reads; no reflection. Thread-safe (immutable).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FrescoUser))]
[JsonSerializable(typeof(FrescoUser[]))]
[JsonSerializable(typeof(FrescoItem))]
[JsonSerializable(typeof(FrescoItem[]))]
[JsonSerializable(typeof(FrescoFeedback[]))]
[JsonSerializable(typeof(IReadOnlyList<FrescoFeedback>))]
[JsonSerializable(typeof(FrescoUserPatch))]
[JsonSerializable(typeof(FrescoItemPatch))]
[JsonSerializable(typeof(ScoredId[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(WriteResult))]
[JsonSerializable(typeof(UserPage))]
[JsonSerializable(typeof(ItemPage))]
[JsonSerializable(typeof(FeedbackPage))]
[JsonSerializable(typeof(ModelsInfo))]
[JsonSerializable(typeof(TrainingResult))]
[JsonSerializable(typeof(RegistryOutcome))]
[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(Overview))]
[JsonSerializable(typeof(ProblemBody))]
internal sealed partial class ClientJson : JsonSerializerContext;

/// <summary>The fields of an RFC 7807 problem the client reads.</summary>
internal sealed record ProblemBody(string? Title, string? Detail, int? Status);
