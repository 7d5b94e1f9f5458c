namespace Fresco.Server.Contracts;

/// <summary>
/// The answer of <c>POST /api/models/train?wait=false</c> (202 Accepted, <c>Location: /api/models</c>): the newest stored
/// version when the run was started. The run stores a version newer than <see cref="AfterVersion"/> (promoted or
/// rejected) when it finishes; a run below <c>Training:MinEvents</c> or a failed run stores none. Immutable value.
/// </summary>
public sealed record TrainingStartedContract(long AfterVersion);
