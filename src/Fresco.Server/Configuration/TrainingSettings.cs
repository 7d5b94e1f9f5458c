using Fresco.Engine.Training;
using Fresco.Models;

namespace Fresco.Server.Configuration;

/// <summary>Checks at start-up that <c>Training:Model</c> names a known model and its options parse. Thread-safe (stateless).</summary>
internal static class TrainingSettings
{
    public static void CheckModel(TrainingOptions training)
    {
        if (!ModelCatalog.All.Any(m => string.Equals(m.Name, training.Model, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ConfigurationException(
                $"Training:Model '{training.Model}' is not a known model; known: {string.Join(", ", ModelCatalog.All.Select(m => m.Name))}.");
        }
        try
        {
            ModelCatalog.CreateOptions(training.Model, training.ModelOptions);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or Core.Models.OptionException)
        {
            throw new ConfigurationException($"Training:ModelOptions: {e.Message}", e);
        }
    }
}
