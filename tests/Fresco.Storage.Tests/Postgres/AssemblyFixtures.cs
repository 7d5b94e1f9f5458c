using Fresco.TestKit.Postgres;
using Xunit;

// One PostgreSQL server for the whole assembly, started by the first test that asks for a database.
[assembly: AssemblyFixture(typeof(PostgresServer))]
