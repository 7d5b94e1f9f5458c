using Fresco.Engine.Storage;

namespace Fresco.Server.Contracts;

/// <summary>
/// The answer of <c>GET /api/models</c>: the version being served (null: none), every stored version, newest first, and
/// the model search of this process's last training run (null when it did not search: see <see cref="SearchContract"/>).
/// Immutable value.
/// </summary>
public sealed record ModelsContract(long? Serving, string? ServingKind, IReadOnlyList<ModelVersion> Versions, SearchContract? LastSearch);
