using Fresco.LoadTest;

// A load generator for a running Fresco (or Gorse-compatible) server; see docs/benchmarks.md for the runs.
const string Usage = """
usage: Fresco.LoadTest <mode> [--url http://127.0.0.1:8088] [--api-key KEY] [options]
  ingest     --data PATH [--batch 100] [--writers 64] [--limit N]      load a data set over POST /api/items + /api/feedback
  recommend  [--rate 1000] [--duration 30] [--warmup 5] [--control-rate 100] [--n 10] [--users 10000] [--scenario NAME]
  freshness  [--samples 500] [--type purchase] [--users 10000] [--read-url URL of another replica]
  soak       --pid SERVER_PID [--duration 1800] [--rate 200] [--period 60] [--warmup 1] [--train-every 180] [--catalog-every 5] [--new-items-kept 12]
             [--write-share 0.25] [--new-user-share 0.3] [--max-memory-growth 5] [--max-p99-growth 20]
""";
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
try
{
    var options = new Arguments(args[1..]);
    var url = options.String("--url", "http://127.0.0.1:8088");
    using var client = new ApiClient(url, options.Optional("--api-key"));
    if (!(await client.GetAsync("api/health/ready")).Ok)
    {
        throw new InvalidOperationException($"no ready Fresco server at {url} (GET /api/health/ready failed)");
    }
    return args[0] switch
    {
        "ingest" => await IngestRunner.RunAsync(client, options),
        "recommend" => await RecommendRunner.RunAsync(client, options),
        "freshness" => await FreshnessRunner.RunAsync(client, options),
        "soak" => await SoakRunner.RunAsync(options),
        _ => throw new ArgumentException($"unknown mode '{args[0]}'"),
    };
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
{
    Console.Error.WriteLine($"loadtest: error: {e.Message}");
    return 2;
}
