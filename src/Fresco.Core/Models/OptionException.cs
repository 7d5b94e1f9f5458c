namespace Fresco.Core.Models;

/// <summary>A bad option name or value; the message says what is valid.</summary>
public sealed class OptionException(string message) : Exception(message);
