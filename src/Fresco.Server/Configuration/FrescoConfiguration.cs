using Fresco.Engine;
using Fresco.Engine.Impressions;
using Fresco.Engine.Serving;
using Fresco.Engine.Training;
using Microsoft.Extensions.Configuration;

namespace Fresco.Server.Configuration;

/// <summary>
/// Loads the configuration (later sources win): defaults in code, <c>appsettings.json</c> in the working folder,
/// the <c>--config</c> file, environment variables <c>Fresco__Section__Key</c>, then explicit overrides (command-line
/// flags); binds <see cref="FrescoServerOptions"/> and <see cref="FrescoEngineOptions"/> and validates them. Unknown
/// keys in the Server, Recommend and Training sections are errors, so a typo cannot be silently ignored. Thread-safe
/// (stateless).
/// </summary>
public static class FrescoConfiguration
{
    public const string EnvironmentPrefix = "Fresco__";

    private static readonly Dictionary<string, string?> s_defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:Console:FormatterName"] = "json",
    };

    /// <summary>Builds the layered configuration. A missing <paramref name="configFile"/> is an error; a missing appsettings.json is not.</summary>
    public static IConfigurationRoot Build(
        string? configFile = null,
        IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        bool useEnvironment = true,
        string? workingDirectory = null)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(s_defaults);
        var folder = workingDirectory ?? Directory.GetCurrentDirectory();
        builder.AddJsonFile(Path.Combine(folder, "appsettings.json"), optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile, folder);
            if (!File.Exists(path))
            {
                throw new ConfigurationException($"configuration file '{configFile}' was not found.");
            }
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        if (useEnvironment)
        {
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        }
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw new ConfigurationException($"configuration file '{configFile}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Binds and validates every section. Throws <see cref="ConfigurationException"/> with a one-line message.</summary>
    public static FrescoSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        try
        {
            var formatter = configuration["Logging:Console:FormatterName"];
            if (formatter is not (null or "json" or "simple" or "systemd"))
            {
                throw new ConfigurationException($"Logging:Console:FormatterName must be json, simple or systemd, not '{formatter}'.");
            }
            var server = BindSection(configuration, FrescoServerOptions.SectionName, new FrescoServerOptions()).Validate();
            ServerFiles.ReadApiKeyFile(server);
            ServerFiles.LoadCertificate(server)?.Dispose();
            var store = BindSection(configuration, StoreSettings.SectionName, new StoreSettings()).Validate();
            var engine = new FrescoEngineOptions
            {
                Live = LiveSettings.Bind(configuration.GetSection("Live")),
                Recommend = BindSection(configuration, "Recommend", new RecommendOptions()),
                Training = BindSection(configuration, "Training", new TrainingOptions()),
                Retention = store.ToRetention(),
                Impressions = BindSection(configuration, "Impressions", new ImpressionOptions()),
                Attribution = BindSection(configuration, "Attribution", new AttributionOptions()),
            };
            engine.Validate();
            var cluster = BindSection(configuration, ClusterSettings.SectionName, new ClusterSettings());
            if (store.Postgres is not null)
            {
                cluster.ToOptions(server); // validates
            }
            return new FrescoSettings(server, engine, configuration) { Store = store, Cluster = cluster };
        }
        catch (ConfigurationException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException
            or Core.Models.OptionException)
        {
            throw new ConfigurationException("invalid configuration: " + OneLine(e), e);
        }
    }

    private static T BindSection<T>(IConfiguration configuration, string name, T target)
        where T : class
    {
        var known = typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToArray();
        foreach (var child in configuration.GetSection(name).GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new ConfigurationException(
                    $"unknown setting '{name}:{child.Key}'; known: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }
        configuration.GetSection(name).Bind(target, o => o.ErrorOnUnknownConfiguration = true);
        return target;
    }

    private static string OneLine(Exception e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        if (e is ArgumentException { ParamName: { } name } && !message.Contains(name, StringComparison.Ordinal))
        {
            message = $"{name}: {message}";
        }
        return string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
