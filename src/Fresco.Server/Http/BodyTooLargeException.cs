namespace Fresco.Server.Http;

/// <summary>Thrown by <see cref="LimitedReadStream"/> when a body (of unknown length) runs past the limit.</summary>
internal sealed class BodyTooLargeException() : IOException("The request body is larger than the limit.");
