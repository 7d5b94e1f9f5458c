using System.Globalization;

namespace Fresco.LoadTest;

/// <summary>
/// <c>soak --pid PID [--duration 1800] [--rate 200] [--period 60] [--warmup 1] [--write-share 0.25] [--new-user-share 0.3]
/// [--catalog-every 5] [--new-items-kept 12] [--train-every 180] [--max-memory-growth 5] [--max-p99-growth 20] [--connections 64]</c>: a <see cref="Soak"/>
/// against a server whose resident set (VmRSS of <c>/proc/PID/status</c>) is the memory watched; exits 1 when a check
/// of <see cref="SoakVerdict"/> fails. Each period also prints the engine's size from the server's metrics (<see cref="ServerGauges"/>). At most <c>--connections</c> connections (so the server's connection buffers
/// stop growing once the load has peaked; later requests wait in the client, which their latency shows). Not
/// thread-safe (a console entry point).
/// </summary>
internal static class SoakRunner
{
    public static async Task<int> RunAsync(Arguments args)
    {
        using var client = new ApiClient(args.String("--url", "http://127.0.0.1:8088"), args.Optional("--api-key"), args.Int("--connections", 64));
        var pid = args.Int("--pid", 0);
        if (pid <= 0)
        {
            throw new ArgumentException("--pid PID (the server's process) is required");
        }
        var settings = new SoakSettings(TimeSpan.FromSeconds(args.Double("--duration", 1800)), args.Double("--rate", 200), () => Rss(pid),
            async period => Console.WriteLine($"{period}  load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}\n    {await ServerGauges.ReadAsync(client).ConfigureAwait(false)} {Composition(pid)}"))
        {
            Period = TimeSpan.FromSeconds(args.Double("--period", 60)),
            WriteShare = args.Double("--write-share", 0.25),
            NewUserShare = args.Double("--new-user-share", 0.3),
            CatalogEvery = TimeSpan.FromSeconds(args.Double("--catalog-every", 5)),
            TrainEvery = TimeSpan.FromSeconds(args.Double("--train-every", 180)),
            NewItemsKept = args.Int("--new-items-kept", 12),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {settings.Rate}/s for {settings.Duration.TotalSeconds} s ({settings.WriteShare:P0} writes, {settings.NewUserShare:P0} of them new users), catalog change every {settings.CatalogEvery.TotalSeconds} s, training every {settings.TrainEvery.TotalSeconds} s"));
        var periods = await new Soak(client, settings).RunAsync(CancellationToken.None).ConfigureAwait(false);
        var verdict = SoakVerdict.Of(periods, args.Int("--warmup", 1), args.Double("--max-memory-growth", 5), args.Double("--max-p99-growth", 20));
        Console.WriteLine(verdict);
        return verdict.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// What the resident set is made of at the period's end: anonymous memory (heaps, stacks: what a leak grows),
    /// file-backed pages (code and mapped files, paged in as more code runs) and the thread count.
    /// </summary>
    private static string Composition(int pid)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon]] = line[(colon + 1)..].Trim();
            }
        }
        static string MiB(string? kb) => kb is null ? "?" : (long.Parse(kb.Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0).ToString("F1", CultureInfo.InvariantCulture);
        return $"rss_anon_MiB={MiB(fields.GetValueOrDefault("RssAnon"))} rss_file_MiB={MiB(fields.GetValueOrDefault("RssFile"))} threads={fields.GetValueOrDefault("Threads", "?")}";
    }

    /// <summary>The process's resident set in bytes (VmRSS), read from /proc.</summary>
    private static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return 1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }
}
