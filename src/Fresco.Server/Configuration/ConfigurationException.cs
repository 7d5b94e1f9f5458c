namespace Fresco.Server.Configuration;

/// <summary>A configuration value that is missing, malformed or out of range; the message is one line naming the key.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
