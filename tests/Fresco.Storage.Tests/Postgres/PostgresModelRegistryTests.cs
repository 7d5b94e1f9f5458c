using Fresco.Engine.Storage;
using Fresco.Engine.Tests.Models;
using Fresco.Storage.Postgres;
using Fresco.TestKit.Postgres;

namespace Fresco.Storage.Tests.Postgres;

/// <summary>The registry suite over <see cref="PostgresStore"/> in a fresh database; reopening is a real restart.</summary>
public sealed class PostgresModelRegistryTests(PostgresServer server) : ModelRegistryTests
{
    private string? _database;

    protected override async Task<IStore> OpenStoreAsync()
    {
        _database ??= await server.CreateDatabaseAsync();
        return await PostgresStore.OpenAsync(_database, null, Ct);
    }

    protected override void Cleanup()
    {
        if (_database is not null)
        {
            server.DropDatabaseAsync(_database).GetAwaiter().GetResult();
        }
    }
}
