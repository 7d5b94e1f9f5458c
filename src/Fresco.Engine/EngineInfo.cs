namespace Fresco.Engine;

/// <summary>The engine library's identity, for logs and health reports. Thread-safe (static).</summary>
public static class EngineInfo
{
    public static string Version { get; } = typeof(EngineInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
