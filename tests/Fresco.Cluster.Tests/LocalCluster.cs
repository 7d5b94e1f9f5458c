using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Fresco.Cluster.Tests;

/// <summary>
/// A real cluster (PostgreSQL, Redis, HAProxy, N replicas of this build's fresco.dll) started by deploy/cluster/up.sh in
/// a temp folder on free loopback ports, shared by the test assembly and stopped by deploy/cluster/down.sh (then deleted)
/// on dispose. The faults act on the processes up.sh started, through its pid files; <see cref="UpAsync"/> starts again
/// whatever is not running. When PostgreSQL, Redis or HAProxy is not installed the tests are skipped with the reason
/// (under CI=true they fail: CI installs them). Not thread-safe: the assembly's tests run one at a time.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const int Replicas = 3;

    // No scheduled training: the tests train on demand, plus one count trigger so a new trainer shows it trains.
    private const string ReplicaSettings = "Fresco__Training__Interval=00:00:00 Fresco__Training__AfterEvents=300 "
        + "Fresco__Training__MinInterval=00:00:01 Fresco__Training__MinEvents=20 Fresco__Training__Model=popularity";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _root = FindRepositoryRoot();
    private readonly string _dir = Path.Combine("/tmp", "fresco-ct-" + Guid.NewGuid().ToString("N")[..10]);
    private bool _started;
    private string? _unavailable;
    private Exception? _startFailure;
    private int _port;

    /// <summary>The HAProxy address.</summary>
    public Uri Balancer => new($"http://127.0.0.1:{_port}");

    /// <summary>The PostgreSQL database of the cluster (read by the tests to check what was acknowledged).</summary>
    public string Postgres => $"Host=127.0.0.1;Port={State("FRESCO_PG_PORT")};Username=postgres;Database=fresco;Pooling=false;Timeout=5";

    /// <summary>Replica i's own address (1-based), bypassing the balancer.</summary>
    public Uri Replica(int i) => new($"http://127.0.0.1:{_port + i}");

    /// <summary>Starts the cluster on first use (skipping the test when it cannot be had outside CI).</summary>
    public async Task EnsureStartedAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!_started)
            {
                _started = true;
                _unavailable = Missing();
                if (_unavailable is null)
                {
                    _port = FreePortRange(Replicas + 1);
                    try
                    {
                        await RunAsync("up.sh", "--replicas", Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", _dir);
                    }
                    catch (InvalidOperationException e)
                    {
                        _startFailure = e; // every test fails with it, rather than against a half-started cluster
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (_startFailure is not null)
        {
            throw new InvalidOperationException("the cluster did not start", _startFailure);
        }

        if (_unavailable is not null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("the cluster tests need these under CI=true: " + _unavailable);
            }

            Assert.Skip(_unavailable);
        }
    }

    /// <summary>deploy/cluster/up.sh again: starts whatever is not running and waits until every replica is ready.</summary>
    public Task UpAsync() => RunAsync("up.sh", "--dir", _dir);

    /// <summary>deploy/cluster/down.sh: stops everything, keeping the data.</summary>
    public Task DownAsync() => RunAsync("down.sh", "--dir", _dir);

    /// <summary><c>kill -9</c> of replica i.</summary>
    public void KillReplica(int i) => Kill($"replica-{i}.pid");

    /// <summary><c>kill -9</c> of Redis.</summary>
    public void KillRedis() => Kill("redis.pid");

    /// <summary>Stops PostgreSQL (fast shutdown: sessions are cut, as when the server goes away).</summary>
    public Task StopPostgresAsync() => RunAsync("bash", "-c",
        $"source '{Script("common.sh")}' && as_postgres \"$(pg_bin)/pg_ctl\" -D '{_dir}/pg/data' -m fast -w -t 30 stop");

    /// <summary>Starts PostgreSQL alone (after <see cref="DownAsync"/>, to read what it holds).</summary>
    public Task StartPostgresAsync() => RunAsync("bash", "-c",
        $"source '{Script("common.sh")}' && as_postgres \"$(pg_bin)/pg_ctl\" -D '{_dir}/pg/data' -l '{_dir}/logs/postgres.log' -w -t 60 start");

    /// <summary>The last lines of a log of the cluster (replica-1.log, postgres.log, ...), for failure messages.</summary>
    public string Log(string name, int lines = 30)
    {
        var path = Path.Combine(_dir, "logs", name);
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "(no " + name + ")";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started && _unavailable is null && Directory.Exists(_dir))
            {
                await DownAsync();
            }
        }
        finally
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }

            _gate.Dispose();
        }
    }

    private void Kill(string pidFile)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(_dir, "pids", pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill(); // SIGKILL
        process.WaitForExit(10_000);
    }

    private string State(string key) =>
        File.ReadLines(Path.Combine(_dir, "cluster.env")).Select(l => l.Split('=', 2)).First(p => p[0] == key)[1];

    private string Script(string name) => Path.Combine(_root, "deploy", "cluster", name);

    private async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file.EndsWith(".sh", StringComparison.Ordinal) ? Script(file) : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["FRESCO_DLL"] = Path.Combine(AppContext.BaseDirectory, "fresco.dll");
        start.Environment["FRESCO_REPLICA_ENV"] = ReplicaSettings;
        start.Environment["FRESCO_UP_TIMEOUT"] = "240";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await error} {await output}\n{Log("replica-1.log")}");
        }
    }

    private static string? Missing()
    {
        var missing = new List<string>();
        if (!Directory.Exists("/usr/lib/postgresql") || !Directory.GetDirectories("/usr/lib/postgresql").Any(d => File.Exists(Path.Combine(d, "bin", "initdb"))))
        {
            missing.Add("postgresql");
        }

        foreach (var (tool, package) in new[] { ("redis-server", "redis-server"), ("haproxy", "haproxy"), ("psql", "postgresql-client"), ("curl", "curl") })
        {
            if (!new[] { "/usr/bin", "/usr/sbin", "/usr/local/bin" }.Any(d => File.Exists(Path.Combine(d, tool))))
            {
                missing.Add(package);
            }
        }

        return missing.Count == 0 ? null : $"not installed: {string.Join(", ", missing)} (apt-get install -y {string.Join(' ', missing)})";
    }

    /// <summary>A port p such that p..p+count-1 are free on loopback now (random, away from the usual 8088 range).</summary>
    private static int FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 40_000);
            if (Enumerable.Range(port, count).All(IsFree))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no {count} consecutive free ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fresco.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Fresco.slnx not found above " + AppContext.BaseDirectory);
    }
}
