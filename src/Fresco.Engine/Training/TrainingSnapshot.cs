using Fresco.Core.Data;
using Fresco.Engine.Models;

namespace Fresco.Engine.Training;

/// <summary>
/// The data one training run learns from, taken from the live state at one moment: the users x items matrix of
/// positive summed event weights (<see cref="Realtime.LiveInteractions.ToMatrix"/>) and the outside ids of its rows
/// and columns (<see cref="Ids"/>: pass it to <see cref="ModelRegistry.ProposeAsync"/> with the candidate, which
/// must have the matrix's dimensions). Rows and columns are live indices, so a model trained on it keeps the
/// engine's invariant (its index space is a prefix of the live one). Users and items without positive feedback
/// (new, deleted) are empty rows and columns. <see cref="Serving"/> is the model served when the snapshot was taken
/// (null before the first promotion); its indices match the matrix's where its ids do (see its
/// <see cref="ServingModel.Ids"/>). <see cref="Sequences"/>, taken for models that learn from event order
/// (<see cref="Fresco.Models.ModelDescriptor.UsesEventOrder"/>), holds each user's items oldest to newest by their
/// last event (one row per user and item, the summed weight as value, no timestamps), over the same indices as the
/// matrix. Immutable.
/// </summary>
public sealed record TrainingSnapshot(
    CsrMatrix UserItems,
    ModelIdSpace Ids,
    long Events,
    ServingModel? Serving,
    ModelRegistry Registry,
    TrainingOptions Options,
    InteractionTable? Sequences = null);
