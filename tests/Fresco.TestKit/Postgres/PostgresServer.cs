using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace Fresco.TestKit.Postgres;

/// <summary>
/// A PostgreSQL server for tests, shared by a whole test assembly (<c>[assembly: AssemblyFixture(typeof(PostgresServer))]</c>)
/// and started on first use: the server named by the <c>FRESCO_PG</c> connection string when set, else a throwaway
/// cluster made with <c>initdb</c> (Debian's <c>/usr/lib/postgresql/*/bin</c>) in a temp folder, run as the
/// <c>postgres</c> OS user when the process is root, listening on 127.0.0.1 on a free port with its sockets in that folder,
/// stopped and deleted on dispose. Tests call <see cref="CreateDatabaseAsync"/> for a fresh database each; when no
/// server can be had they are skipped with the reason (under <c>CI=true</c> they fail instead: CI installs PostgreSQL).
/// Thread-safe.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string EnvironmentVariable = "FRESCO_PG";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _started;
    private string? _adminConnectionString;
    private string? _unavailable;
    private Cluster? _cluster;

    /// <summary>A connection string of the server's maintenance database (starts the server; skips the test without one).</summary>
    public async Task<string> GetAdminConnectionStringAsync()
    {
        await StartAsync().ConfigureAwait(false);
        if (_unavailable is not null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("PostgreSQL is required under CI=true: " + _unavailable);
            }

            Assert.Skip(_unavailable);
        }

        return _adminConnectionString!;
    }

    /// <summary>Creates an empty database with a random name; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var admin = await GetAdminConnectionStringAsync().ConfigureAwait(false);
        var name = "fresco_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing its pooled connections first.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (_adminConnectionString is null || name is null || !name.StartsWith("fresco_test_", StringComparison.Ordinal))
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task StartAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_started)
            {
                return;
            }

            _started = true;
            var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(external))
            {
                _unavailable = await ProbeAsync(external).ConfigureAwait(false) is { } error
                    ? $"{EnvironmentVariable} names a server that cannot be reached: {error}"
                    : null;
                _adminConnectionString = external;
                return;
            }

            var bin = Cluster.FindBinaries();
            if (bin is null)
            {
                _unavailable = $"PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin) and {EnvironmentVariable} is not set.";
                return;
            }

            try
            {
                _cluster = await Cluster.StartAsync(bin).ConfigureAwait(false);
                _adminConnectionString = _cluster.ConnectionString;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                _unavailable = $"A throwaway PostgreSQL cluster could not be started from {bin}: {e.Message}";
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<string?> ProbeAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    /// <summary>A cluster made by initdb in a temp folder, owned by this process.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly string _bin;
        private readonly string _folder;
        private readonly bool _asPostgresUser;

        private Cluster(string bin, string folder, bool asPostgresUser, int port)
        {
            _bin = bin;
            _folder = folder;
            _asPostgresUser = asPostgresUser;
            ConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = "postgres",
                Database = "postgres",
                Pooling = true,
            }.ConnectionString;
        }

        public string ConnectionString { get; }

        private string DataFolder => Path.Combine(_folder, "data");

        /// <summary>The newest Debian PostgreSQL bin folder that has initdb, or null.</summary>
        public static string? FindBinaries()
        {
            const string root = "/usr/lib/postgresql";
            if (!Directory.Exists(root))
            {
                return null;
            }

            return Directory.GetDirectories(root)
                .Select(d => (Folder: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Folder, "initdb")) && File.Exists(Path.Combine(d.Folder, "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Folder)
                .FirstOrDefault();
        }

        public static async Task<Cluster> StartAsync(string bin)
        {
            // A short path: the unix socket's path must stay under ~100 bytes.
            var folder = Path.Combine("/tmp", "fresco-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(folder);
            var cluster = new Cluster(bin, folder, Environment.IsPrivilegedProcess, FreePort());
            try
            {
                if (cluster._asPostgresUser)
                {
                    await RunAsync("chown", ["postgres:", folder]).ConfigureAwait(false); // PostgreSQL refuses to run as root
                }

                await cluster.PgAsync("initdb", "-D", cluster.DataFolder, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                    "--locale=C", "--no-sync").ConfigureAwait(false);
                var port = new NpgsqlConnectionStringBuilder(cluster.ConnectionString).Port;
                // Test settings: no fsync (the tests check what the store acknowledges, not the disk), small memory.
                await File.AppendAllTextAsync(Path.Combine(cluster.DataFolder, "postgresql.conf"), $"""

                    listen_addresses = '127.0.0.1'
                    port = {port}
                    unix_socket_directories = '{folder}'
                    fsync = off
                    full_page_writes = off
                    shared_buffers = 64MB
                    max_connections = 200

                    """).ConfigureAwait(false);
                await cluster.PgAsync("pg_ctl", "-D", cluster.DataFolder, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start")
                    .ConfigureAwait(false);
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
                {
                    await PgAsync("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop").ConfigureAwait(false);
                }
            }
            finally
            {
                Directory.Delete(_folder, recursive: true);
            }
        }

        private Task PgAsync(string tool, params string[] args)
        {
            var path = Path.Combine(_bin, tool);
            return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args]) : RunAsync(path, args);
        }

        private static async Task RunAsync(string file, string[] args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)} {await output.ConfigureAwait(false)}");
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
