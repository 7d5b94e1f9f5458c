namespace Fresco.Engine.Models;

/// <summary>Settings of <see cref="ModelRegistry"/>. Mutable until handed to the registry, which validates it.</summary>
public sealed class ModelRegistryOptions
{
    /// <summary>How many stored versions to keep (newest first; the serving one is always kept). At least 1; default 5.</summary>
    public int KeepVersions { get; set; } = 5;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (KeepVersions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepVersions), KeepVersions, "KeepVersions must be at least 1.");
        }
    }
}
