using System.CommandLine;
using Fresco.Server;
using Fresco.Server.Configuration;

namespace Fresco.Cli.Commands;

/// <summary>
/// `fresco serve`: loads and validates the configuration (file, environment, flags), then runs the HTTP server until
/// Ctrl-C or SIGTERM, when it stops gracefully (requests finish, the engine and its store are disposed). A bad setting
/// exits with 2 and one line naming it.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CreateEngine createEngine)
    {
        var port = new Option<int?>("--port") { HelpName = "PORT", Description = "TCP port to listen on (default 8088; 0 picks a free one)" };
        var host = new Option<string?>("--host") { HelpName = "ADDRESS", Description = "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)" };
        var dataDir = new Option<string?>("--data-dir") { HelpName = "DIR", Description = "folder of the embedded store (default ./fresco-data)" };
        var apiKey = new Option<string?>("--api-key")
        {
            HelpName = "KEY",
            Description = "the admin key: required in the X-API-Key header of every request but the health probes (visible in ps: prefer --api-key-file)",
        };
        var apiKeyFile = new Option<string?>("--api-key-file") { HelpName = "FILE", Description = "read the admin key from the first line of FILE" };
        var readApiKeys = new Option<string[]>("--read-api-key")
        {
            HelpName = "KEY",
            Description = "a read-only key (recommendations, popular, latest, neighbours, sessions); repeatable, added to Server:ReadApiKeys",
            AllowMultipleArgumentsPerToken = false,
        };
        var postgres = new Option<string?>("--postgres")
        {
            HelpName = "CONNECTION",
            Description = "run on PostgreSQL (an Npgsql connection string) as a cluster node instead of the embedded store (Store:Postgres)",
        };
        var redis = new Option<string?>("--redis") { HelpName = "CONFIG", Description = "the cluster's Redis bus, e.g. 127.0.0.1:6379 (Cluster:Redis)" };
        var node = new Option<string?>("--node") { HelpName = "ID", Description = "this node's id in the cluster (Cluster:Node; default machine name and port)" };
        var role = new Option<string?>("--role")
        {
            HelpName = "ROLE",
            Description = "all (serve, and train when holding the lease; default), serve (never train), trainer (train; keep it out of the balancer)",
        };
        var url = new Option<string?>("--url") { HelpName = "URL", Description = "where this node is reached, as GET /api/cluster shows it (Cluster:Url)" };
        var config = new Option<string?>("--config")
        {
            HelpName = "FILE",
            Description = "JSON settings file (comments allowed; see config/fresco.sample.json); environment Fresco__Section__Key and these flags win over it",
        };
        var command = new Command("serve", "Run the recommendation server (Gorse-compatible REST API under /api, metrics at /metrics).")
        {
            port, host, dataDir, apiKey, apiKeyFile, readApiKeys, postgres, redis, node, role, url, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            FrescoSettings settings;
            try
            {
                var overrides = new Dictionary<string, string?>();
                Add(overrides, "Port", parse.GetValue(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Add(overrides, "Host", parse.GetValue(host));
                Add(overrides, "DataDir", parse.GetValue(dataDir));
                Add(overrides, "ApiKey", parse.GetValue(apiKey));
                Add(overrides, "ApiKeyFile", parse.GetValue(apiKeyFile));
                var readKeys = parse.GetValue(readApiKeys) ?? [];
                for (var i = 0; i < readKeys.Length; i++)
                {
                    // Indices past any a settings file could use, so the flags add to its keys rather than replace some.
                    Add(overrides, $"ReadApiKeys:{1000 + i}", readKeys[i]);
                }
                Set(overrides, "Store:Postgres", parse.GetValue(postgres));
                Set(overrides, "Cluster:Redis", parse.GetValue(redis));
                Set(overrides, "Cluster:Node", parse.GetValue(node));
                Set(overrides, "Cluster:Role", parse.GetValue(role));
                Set(overrides, "Cluster:Url", parse.GetValue(url));
                settings = FrescoConfiguration.Bind(FrescoConfiguration.Build(parse.GetValue(config), overrides));
            }
            catch (ConfigurationException e)
            {
                return CliAction.Fail(e.Message, CliAction.UsageError);
            }
            try
            {
                await FrescoServer.RunAsync(settings, createEngine, Console.Out, cancellationToken);
                return CliAction.Ok;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return CliAction.Ok;
            }
            catch (Exception e)
            {
                return CliAction.Fail($"the server stopped: {e.GetType().Name}: {e.Message}", CliAction.RuntimeError);
            }
        });
        return command;
    }

    /// <summary>Sets a key outside the Server section (Store:*, Cluster:*) when the flag was given.</summary>
    private static void Set(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides[key] = value;
        }
    }

    private static void Add(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides[$"{FrescoServerOptions.SectionName}:{key}"] = value;
        }
    }
}
