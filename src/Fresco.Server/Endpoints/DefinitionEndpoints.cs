using System.Text.Json.Serialization.Metadata;
using Fresco.Engine;
using Fresco.Server.Contracts;
using Fresco.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Fresco.Server.Endpoints;

/// <summary>
/// The handlers every kind of named definition stored through the engine shares (scenarios, experiments): the name is
/// checked first (a 400 problem), a put reads the body and answers what was stored or, when the engine refuses the
/// definition (<see cref="RuleException"/>), a 400 problem whose <c>field</c> extension names the bad field; a get,
/// delete or read of an unknown name is a 404 problem. Immutable and thread-safe.
/// </summary>
/// <param name="noun">What a definition is called in problem bodies ("scenario").</param>
/// <param name="refusal">What a refused definition cannot be, after "the {noun} cannot be" ("served", "stored").</param>
internal sealed class DefinitionEndpoints<TDefinition, TStored>(string noun, string refusal, JsonTypeInfo<TDefinition> definitionJson,
    JsonTypeInfo<TStored> storedJson, JsonTypeInfo<TStored[]> listJson)
    where TDefinition : class
    where TStored : class
{
    private readonly string _title = $"Bad {noun}";

    public async Task<IResult> PutAsync(string name, HttpContext context, Func<string, TDefinition, CancellationToken, Task<TStored>> put)
    {
        if (InvalidName(name) is { } invalid)
        {
            return invalid;
        }
        var (definition, error) = await JsonBody.ReadAsync(context, definitionJson);
        if (error is not null)
        {
            return error;
        }
        try
        {
            return TypedResults.Json(await put(name, definition!, context.RequestAborted), storedJson);
        }
        catch (RuleException e)
        {
            return Problems.Refused(_title, $"the {noun} cannot be {refusal}: {e.Message}", e.Where);
        }
    }

    /// <summary>What <paramref name="read"/> answers for the name (the stored definition, or something about it), or a 404 problem.</summary>
    public async Task<IResult> ReadAsync<T>(string name, Func<string, CancellationToken, Task<T?>> read, JsonTypeInfo<T> json,
        CancellationToken cancellationToken)
        where T : class
    {
        if (InvalidName(name) is { } invalid)
        {
            return invalid;
        }
        return await read(name, cancellationToken) is { } found ? TypedResults.Json(found, json) : Unknown(name);
    }

    public Task<IResult> GetAsync(string name, Func<string, CancellationToken, Task<TStored?>> get, CancellationToken cancellationToken) =>
        ReadAsync(name, get, storedJson, cancellationToken);

    public async Task<IResult> ListAsync(Func<CancellationToken, Task<IReadOnlyList<TStored>>> list, CancellationToken cancellationToken) =>
        TypedResults.Json([.. await list(cancellationToken)], listJson);

    public async Task<IResult> DeleteAsync(string name, Func<string, CancellationToken, Task<bool>> delete, CancellationToken cancellationToken)
    {
        if (InvalidName(name) is { } invalid)
        {
            return invalid;
        }
        return await delete(name, cancellationToken) ? TypedResults.NoContent() : Unknown(name);
    }

    private IResult? InvalidName(string name) => ContractMapper.Id(name, $"{noun} name") is { } invalid ? Problems.BadRequest(invalid) : null;

    private IResult Unknown(string name) => Problems.NotFound($"unknown {noun} '{name}'.");
}
