using Fresco.Engine.Storage;

namespace Fresco.Server.Contracts;

/// <summary>The answer of <c>GET /api/models</c>: the version being served (null: none) and every stored version, newest first. Immutable value.</summary>
public sealed record ModelsContract(long? Serving, string? ServingKind, IReadOnlyList<ModelVersion> Versions);
